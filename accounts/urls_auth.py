"""Registration, e-mail verification, password reset and change (mounted under compte/)."""

from django.urls import path

from . import views_auth

app_name = "auth"
urlpatterns = [
    path("inscription/", views_auth.register, name="register"),
    path("inscription/envoyee/", views_auth.register_done, name="register_done"),
    path("verification/<str:token>/", views_auth.verify_email, name="verify_email"),
    path("mot-de-passe/oublie/", views_auth.password_reset, name="password_reset"),
    path("mot-de-passe/oublie/envoye/", views_auth.password_reset_done, name="password_reset_done"),
    path("mot-de-passe/nouveau/<uidb64>/<token>/", views_auth.PasswordResetConfirmView.as_view(),
         name="password_reset_confirm"),
    path("mot-de-passe/nouveau/termine/", views_auth.password_reset_complete, name="password_reset_complete"),
    path("mot-de-passe/changer/", views_auth.password_change, name="password_change"),
    path("adresse/changer/", views_auth.email_change, name="email_change"),
    path("adresse/confirmer/<str:token>/", views_auth.email_change_confirm, name="email_change_confirm"),
    path("fermer/", views_auth.close_account, name="close_account"),
]
