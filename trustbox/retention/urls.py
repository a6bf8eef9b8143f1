from django.urls import path

from trustbox.retention import views

app_name = "retention"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("periods/", views.periods, name="periods"),
    path("periods/papers/", views.papers, name="papers"),
    path("draw-up/<int:meeting>/", views.draw_up, name="draw_up"),
    path("acts/<int:pk>/", views.act, name="act"),
    path("acts/<int:pk>/sign/", views.sign, name="sign"),
    path("acts/<int:pk>/destroy/", views.destroy, name="destroy"),
    path("acts/<int:pk>/withdraw/", views.withdraw, name="withdraw"),
    path("acts/<int:pk>/act-<str:language>.<str:fmt>", views.document, name="document"),
]
