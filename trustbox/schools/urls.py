from django.urls import path

from trustbox.schools import views

app_name = "schools"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("people/", views.people, name="people"),
]
