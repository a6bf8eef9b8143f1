from django.urls import path

from trustbox.core import views

app_name = "core"

urlpatterns = [
    path("", views.home, name="home"),
    path("favicon.ico", views.favicon, name="favicon"),
    path("s/<slug:school>/", views.dashboard, name="dashboard"),
    path("district/<slug:district>/", views.district, name="district"),
]
