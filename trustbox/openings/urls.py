from django.urls import path

from trustbox.openings import ceremony_views, documents_views, renewal_views, views

app_name = "openings"

urlpatterns = [
    path("", views.journal, name="journal"),
    path("start/", views.start, name="start"),
    path("renew/", views.start_renewal, name="start_renewal"),
    path(
        "journal-<str:language>.<str:fmt>",
        documents_views.journal_document,
        name="journal_document",
    ),
    path("<int:pk>/", ceremony_views.session, name="session"),
    path("<int:pk>/progress.json", ceremony_views.progress, name="progress"),
    path("<int:pk>/join/", ceremony_views.join, name="join"),
    path("<int:pk>/join-here/", ceremony_views.join_here, name="join_here"),
    path("<int:pk>/paper/", ceremony_views.paper, name="paper"),
    path("<int:pk>/open/", ceremony_views.open_box, name="open"),
    path("<int:pk>/confirm/", ceremony_views.confirm, name="confirm"),
    path("<int:pk>/confirm-here/", ceremony_views.confirm_here, name="confirm_here"),
    path("<int:pk>/cancel/", views.cancel, name="cancel"),
    path("<int:pk>/reserve/", ceremony_views.reserve, name="reserve"),
    path("<int:pk>/renew/", renewal_views.renew, name="renew"),
    path("<int:pk>/act-<str:language>.<str:fmt>", documents_views.act, name="act"),
]
