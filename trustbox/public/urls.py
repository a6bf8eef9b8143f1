from django.urls import path

from trustbox.public import kiosk_app, status_views, views, writer_steps

app_name = "box"

urlpatterns = [
    path("", views.appeal, name="appeal"),
    path("kiosk/", views.kiosk, name="kiosk"),
    path("kiosk/manifest.webmanifest", kiosk_app.manifest, name="kiosk_manifest"),
    path("kiosk/worker.js", kiosk_app.worker, name="kiosk_worker"),
    path("status/", status_views.status, name="status"),
    path("status/write/", status_views.write_back, name="write_back"),
    path("status/withdraw/", writer_steps.withdraw, name="withdraw"),
    path("status/close/", writer_steps.close_ask, name="close_ask"),
]
