from django.urls import path

from trustbox.seal import views

app_name = "seal"

urlpatterns = [
    path("", views.ceremony, name="ceremony"),
    path("my-key/", views.member_key, name="member_key"),
    path("box-key/", views.box_key, name="box_key"),
    path("my-key/new/", views.member_key_reset, name="member_key_reset"),
]
