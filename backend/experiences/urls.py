from django.urls import path

from backend.experiences import views

app_name = "experiences"

urlpatterns = [
    path("<str:code>/qr.png", views.ticket_qr, name="ticket-qr"),
    path("<str:code>/calendar.ics", views.ticket_ics, name="ticket-ics"),
]
