from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExperiencesConfig(AppConfig):
    name = "backend.experiences"
    label = "experiences"
    verbose_name = _("Experiences and bookings")
