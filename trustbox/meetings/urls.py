from django.urls import path

from trustbox.meetings import views

app_name = "meetings"

urlpatterns = [
    path("", views.meetings, name="list"),
    path("new/", views.schedule, name="schedule"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/cancel/", views.cancel, name="cancel"),
    path("<int:pk>/agenda/<str:kind>/", views.agenda_add, name="agenda_add"),
    path("<int:pk>/attendance/", views.attendance, name="attendance"),
    path("<int:pk>/decisions/", views.decision, name="decision"),
    path("<int:pk>/protocol/", views.draft, name="draft"),
    path("protocols/<int:pk>/", views.protocol, name="protocol"),
    path("protocols/<int:pk>/sign/", views.sign, name="sign"),
    path("protocols/<int:pk>/scan/", views.scan, name="scan"),
    path("protocols/<int:pk>/scan/<int:signature>/", views.scan_file, name="scan_file"),
    path("protocols/<int:pk>/correct/", views.correct, name="correct"),
    path(
        "protocols/<int:pk>/protocol-<str:language>.<str:fmt>",
        views.document,
        name="document",
    ),
]
