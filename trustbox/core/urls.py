from django.urls import path

from trustbox.compliance import views as compliance_views
from trustbox.core import views

app_name = "core"

urlpatterns = [
    path("", views.home, name="home"),
    path("favicon.ico", views.favicon, name="favicon"),
    path("s/<slug:school>/", views.dashboard, name="dashboard"),
    # The district's compliance view keeps its name here; the compliance app draws it.
    path("district/<slug:district>/", compliance_views.district, name="district"),
]
