"""Parent-facing URLs of the billing app (mounted under the language prefix by portal/urls.py)."""

from django.urls import path

from . import views

app_name = "billing"
urlpatterns = [
    path("", views.invoice_list, name="invoices"),
    path("<int:pk>/", views.invoice_detail, name="invoice"),
    path("<int:pk>/pdf/", views.invoice_download, name="invoice_pdf"),
    path("<int:pk>/payer/", views.invoice_pay, name="invoice_pay"),
    path("paiements/", views.payment_list, name="payments"),
    path("attestation/<int:year>/", views.certificate, name="certificate"),
]
