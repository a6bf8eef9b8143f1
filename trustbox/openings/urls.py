from django.urls import path

from trustbox.openings import views

app_name = "openings"

urlpatterns = [
    path("", views.journal, name="journal"),
    path("start/", views.start, name="start"),
    path("renew/", views.start_renewal, name="start_renewal"),
    path("journal-<str:language>.<str:fmt>", views.journal_document, name="journal_document"),
    path("<int:pk>/", views.session, name="session"),
    path("<int:pk>/progress.json", views.progress, name="progress"),
    path("<int:pk>/join/", views.join, name="join"),
    path("<int:pk>/join-here/", views.join_here, name="join_here"),
    path("<int:pk>/paper/", views.paper, name="paper"),
    path("<int:pk>/open/", views.open_box, name="open"),
    path("<int:pk>/confirm/", views.confirm, name="confirm"),
    path("<int:pk>/confirm-here/", views.confirm_here, name="confirm_here"),
    path("<int:pk>/cancel/", views.cancel, name="cancel"),
    path("<int:pk>/reserve/", views.reserve, name="reserve"),
    path("<int:pk>/renew/", views.renew, name="renew"),
    path("<int:pk>/act-<str:language>.<str:fmt>", views.act, name="act"),
]
