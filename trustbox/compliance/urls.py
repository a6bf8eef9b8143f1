from django.urls import path

from trustbox.compliance import views

app_name = "compliance"

urlpatterns = [
    path("", views.school, name="school"),
]
