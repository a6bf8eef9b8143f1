from django.urls import path

from trustbox.schools import views

app_name = "schools"

urlpatterns = [
    path("people/", views.people, name="people"),
]
