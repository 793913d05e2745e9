"""PayFiP server-to-server notification, the browser's return, and the local simulator
(no language prefix). Only the notification and the simulator's SOAP endpoint are
CSRF-exempt: PayFiP (or the adapter) calls them without a browser."""

from django.urls import path

from . import simulator, views

app_name = "payfip"
urlpatterns = [
    path("notification/", views.payfip_notification, name="notification_any"),
    path("notification/<str:token>/", views.payfip_notification, name="notification"),
    path("retour/<str:token>/", views.payfip_return, name="return"),
    path("simulateur/services/securite", simulator.soap_endpoint, name="simulator_soap"),
    path("simulateur/paiement/", simulator.payment_page, name="simulator_page"),
]
