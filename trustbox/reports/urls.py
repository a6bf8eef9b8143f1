from django.urls import path

from trustbox.reports import views

app_name = "reports"

urlpatterns = [
    path("", views.report_list, name="list"),
    path("new/", views.report_create, name="create"),
    path("<int:pk>/", views.report_detail, name="detail"),
    path("<int:pk>/progress/", views.report_progress, name="progress"),
    path("<int:pk>/generate/", views.report_generate, name="generate"),
    path("<int:pk>/analysis/", views.report_analysis, name="analysis"),
    path("<int:pk>/finalise/", views.report_finalise, name="finalise"),
    path("<int:pk>/<str:language>.<str:fmt>", views.report_document, name="document"),
]
