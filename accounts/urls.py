from django.urls import path, register_converter


from . import views, views_auth, views_family



class ExportFormat:
    regex = "json|html"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


register_converter(ExportFormat, "export_format")

app_name = "accounts"

urlpatterns = [
    path("connexion/", views.LoginView.as_view(), name="login"),
    path("deconnexion/", views.LogoutView.as_view(), name="logout"),
    path("second-facteur/", views_auth.second_factor_view, name="second_factor"),
    path("rattacher/", views_family.household_link, name="household_link"),
    path("preferences/", views_family.email_preferences, name="preferences"),
    path("foyer/<int:household_id>/", views_family.household_detail, name="household"),
    path("foyer/<int:household_id>/coordonnees/", views_family.household_edit, name="household_edit"),
    path("foyer/<int:household_id>/demande/", views_family.change_request, name="change_request"),
    path("foyer/<int:household_id>/historique/", views_family.household_history, name="household_history"),
    path("foyer/<int:household_id>/donnees/", views_family.household_data, name="household_data"),
    path("foyer/<int:household_id>/donnees/export.<export_format:fmt>", views_family.household_export,
         name="household_export"),
    path("responsable/<int:guardian_id>/", views_family.guardian_edit, name="guardian_edit"),
    path("enfant/<int:child_id>/", views_family.child_edit, name="child_edit"),
    path("enfant/<int:child_id>/autorisations/", views_family.authorisations_edit, name="authorisations"),
    path("enfant/<int:child_id>/personnes/ajouter/", views_family.authorised_person_add,
         name="authorised_person_add"),
    path("personne/<int:person_id>/", views_family.authorised_person_edit, name="authorised_person_edit"),
    path("personne/<int:person_id>/retirer/", views_family.authorised_person_delete,
         name="authorised_person_delete"),
    path("", views.space, name="space"),
]
