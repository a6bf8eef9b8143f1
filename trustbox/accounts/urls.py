from django.urls import path

from trustbox.accounts import views

app_name = "accounts"

urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("login/code/", views.second_factor, name="second_factor"),
    path("me/", views.account, name="account"),
    path("password/", views.PasswordChangeView.as_view(), name="password_change"),
    path("logout/", views.LogoutView.as_view(), name="logout"),
]
