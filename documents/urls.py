"""Parent-facing URLs of the documents app (mounted under the language prefix by
portal/urls.py: /fr/justificatifs/...)."""

from django.urls import path

from . import views

app_name = "documents"
urlpatterns = [
    path("", views.document_list, name="list"),
    path("deposer/", views.upload, name="upload"),
    path("<int:pk>/supprimer/", views.delete, name="delete"),
    path("fichiers/<int:pk>/", views.download, name="download"),
]
