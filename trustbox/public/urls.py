from django.urls import path

from trustbox.public import views, writer_steps

app_name = "box"

urlpatterns = [
    path("", views.appeal, name="appeal"),
    path("kiosk/", views.kiosk, name="kiosk"),
    path("status/", views.status, name="status"),
    path("status/write/", views.write_back, name="write_back"),
    path("status/withdraw/", writer_steps.withdraw, name="withdraw"),
    path("status/close/", writer_steps.close_ask, name="close_ask"),
]
