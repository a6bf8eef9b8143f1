from django.urls import path

from trustbox.schools import views

app_name = "districts"

urlpatterns = [path("<slug:district>/", views.district, name="overview")]
