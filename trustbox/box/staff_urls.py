from django.urls import path

from trustbox.box import kiosk_views, staff_views

app_name = "box_staff"

urlpatterns = [
    path("", staff_views.overview, name="overview"),
    path("poster-<str:language>.pdf", staff_views.poster, name="poster"),
    path("kiosk/", kiosk_views.kiosk_setup, name="kiosk_setup"),
]
