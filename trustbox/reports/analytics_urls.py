from django.urls import path

from trustbox.reports import district_views

app_name = "analytics"

urlpatterns = [
    path("district/<slug:district>/analytics/", district_views.district_analytics, name="district"),
    path(
        "district/<slug:district>/analytics/export.<str:fmt>",
        district_views.district_export,
        name="export",
    ),
    path(
        "district/<slug:district>/analytics/report/",
        district_views.district_report,
        name="report",
    ),
    path(
        "district/<slug:district>/analytics/report/<int:pk>/progress/",
        district_views.district_job,
        name="job",
    ),
    path(
        "district/<slug:district>/analytics/report/<int:pk>/<str:language>.pdf",
        district_views.district_document,
        name="document",
    ),
    path("national/", district_views.nation, name="nation"),
]
