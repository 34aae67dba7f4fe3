from django.urls import path

from backend.sellers import views

app_name = "sellers"

urlpatterns = [
    path("documents/<int:pk>", views.document_file, name="document"),
    path("identity/<str:reference>/callback", views.identity_callback, name="identity-callback"),
    path("identity/<int:pk>/<str:side>", views.identity_photo, name="identity-photo"),
]
