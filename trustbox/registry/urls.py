from django.urls import path

from trustbox.registry import documents_views, views

app_name = "registry"

urlpatterns = [
    path("", views.registry_list, name="list"),
    path("unlock/", views.unlock, name="unlock"),
    path("lock/", views.lock, name="lock"),
    path("export.<str:fmt>", documents_views.export, name="export"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/attachment/<int:index>/", documents_views.attachment, name="attachment"),
    path("<int:pk>/card-<str:language>.<str:fmt>", documents_views.card, name="card"),
    path("<int:pk>/file-<str:language>.pdf", documents_views.case_file, name="case_file"),
    path("<int:pk>/letter/<int:entry>-<str:language>.pdf", documents_views.letter, name="letter"),
    path("<int:pk>/notice/<int:entry>-<str:language>.pdf", documents_views.notice, name="notice"),
]
