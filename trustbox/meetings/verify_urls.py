"""Verification of protocols, open to anyone who holds a printout: no login."""

from django.urls import path

from trustbox.meetings import views

app_name = "verify"

urlpatterns = [
    path("", views.verify_index, name="index"),
    path("<str:code>/", views.verify, name="protocol"),
]
