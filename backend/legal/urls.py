from django.urls import path

from backend.legal import views

app_name = "legal"

urlpatterns = [
    path("", views.index, name="index"),
    path("<slug:slug>/", views.document, name="document"),
]
