from django.urls import path

from . import views, views_auth

app_name = "accounts"

urlpatterns = [
    path("connexion/", views.LoginView.as_view(), name="login"),
    path("deconnexion/", views.LogoutView.as_view(), name="logout"),
    path("second-facteur/", views_auth.second_factor_view, name="second_factor"),
    path("", views.space, name="space"),
]
