from django.urls import path

from trustbox.box import staff_views

app_name = "box_staff"

urlpatterns = [
    path("", staff_views.overview, name="overview"),
    path("poster-<str:language>.pdf", staff_views.poster, name="poster"),
]
