from django.urls import path

from trustbox.commission import views

app_name = "commission"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("new/", views.appoint, name="appoint"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/election/", views.elect, name="elect"),
]
