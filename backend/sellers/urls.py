from django.urls import path

from backend.sellers import views

app_name = "sellers"

urlpatterns = [
    path("documents/<int:pk>", views.document_file, name="document"),
]
