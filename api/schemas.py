"""The JSON shapes of the family API (the OpenAPI document is generated from them)."""

import datetime as dt
from decimal import Decimal
from typing import Generic, List, Literal, Optional, TypeVar

from ninja import Schema
from pydantic import Field

T = TypeVar("T")


# --- Errors and pages ------------------------------------------------------------------

class FieldError(Schema):
    field: str = Field(description="Champ concerné (chemin, par exemple « body.day »).")
    type: str = Field(description="Nature de l'erreur (type pydantic).")
    message: str


class Error(Schema):
    """Every error: a stable ``code`` and a French ``message``."""

    code: str = Field(description="Code stable, par exemple « deadline_passed ».", examples=["deadline_passed"])
    message: str = Field(description="Message en français (anglais avec Accept-Language: en).")
    errors: Optional[List[FieldError]] = Field(None, description="Erreurs par champ (validation_error).")
    missing: Optional[List[str]] = Field(None, description="Pièces justificatives manquantes (document_missing).")
    deadline: Optional[dt.datetime] = Field(None, description="Le délai en cause (heure de Paris).")


class Page(Schema, Generic[T]):
    count: int = Field(description="Nombre total d'éléments.")
    limit: int
    offset: int
    items: List[T]


# --- Me, households, children ------------------------------------------------------------

class UserOut(Schema):
    id: int
    email: str
    first_name: str
    last_name: str
    preferred_language: str


class RegulationStatus(Schema):
    accepted: bool = Field(description="Faux : aucune inscription, réservation, annulation ni paiement possible "
                                       "avant d'accepter le règlement sur le site.")
    version: Optional[int] = Field(None, description="Version du règlement en vigueur.")


class HouseholdOut(Schema):
    id: int
    code: str
    name: str
    paper_only: bool = Field(description="Vrai : foyer en démarches papier, aucune opération en ligne.")
    is_payer: bool = Field(description="Vrai si l'appelant est payeur de ce foyer.")


class MeOut(Schema):
    user: UserOut
    households: List[HouseholdOut]
    regulation: RegulationStatus
    via: Literal["token", "session"]


class Rights(Schema):
    view: bool
    book: bool
    pay: bool


class ChildOut(Schema):
    id: int
    household_id: int
    first_name: str
    last_name: str
    birth_date: dt.date
    class_level: str
    school: str
    rights: Rights


# --- Activities and occurrences ----------------------------------------------------------

class ActivityOut(Schema):
    id: int
    code: str
    name: str
    service: str
    service_code: str
    shape: str
    site: str
    weekdays: List[int] = Field(description="Jours de fonctionnement (0 = lundi).")
    start_time: Optional[str] = Field(None, description="HH:MM, heure de Paris.", examples=["11:45"])
    end_time: Optional[str] = Field(None, description="HH:MM, heure de Paris.")
    capacity: Optional[int] = None
    bookable_by_day: bool
    same_day_sick_cancellation_until: Optional[str] = Field(
        None, description="HH:MM : jusqu'à quand annuler le jour même pour un enfant malade.")


class OccurrenceOut(Schema):
    day: dt.date
    state: str = Field(description="open, full, deadline_passed ou activity_inactive.")
    bookable: bool = Field(description="Réservable maintenant (une journée complète va en liste d'attente).")
    booking_deadline: dt.datetime
    cancellation_deadline: dt.datetime
    sick_cancellation_deadline: Optional[dt.datetime] = None
    places_left: Optional[int] = Field(None, description="Vide : sans limite.")
    booking_id: Optional[int] = None
    booking_status: Optional[str] = Field(None, description="Avec child_id : booked, waiting ou cancelled.")


class OccurrencesOut(Schema):
    activity: ActivityOut
    start: dt.date
    end: dt.date
    child_id: Optional[int] = None
    occurrences: List[OccurrenceOut]


# --- Enrolments ------------------------------------------------------------------------

class EnrolmentOut(Schema):
    id: int
    child_id: int
    activity_id: int
    activity_name: str
    start_date: dt.date
    end_date: dt.date
    status: str
    status_label: str
    waiting_position: Optional[int] = None
    decision_reason: str


class EnrolmentIn(Schema):
    child_id: int = Field(ge=1, le=2**62)
    activity_id: int = Field(ge=1, le=2**62)
    period_start: Optional[dt.date] = None


# --- Bookings ----------------------------------------------------------------------------

class BookingOut(Schema):
    id: int
    child_id: int
    activity_id: int
    activity_name: str
    day: dt.date
    status: str
    status_label: str
    booked_late: bool
    cancelled_late: bool
    cancelled_sick: bool
    changed_at: dt.datetime


class OutcomeOut(Schema):
    """What happened (or, in a preview, would happen) to one day."""

    child_id: int
    activity_id: int
    day: dt.date
    action: str
    ok: bool
    code: str = Field(description="booked, waiting, cancelled, left_waiting, already_booked… ou le code du refus.")
    message: str
    status: Optional[str] = None
    deadline: Optional[dt.datetime] = None
    price: Optional[Decimal] = None
    late: bool = False
    position: Optional[int] = None
    missing: List[str] = []


class BookingResult(Schema):
    outcome: OutcomeOut
    booking: Optional[BookingOut] = None


class BookingIn(Schema):
    child_id: int = Field(ge=1, le=2**62)
    activity_id: int = Field(ge=1, le=2**62)
    day: dt.date
    waiting_list: bool = Field(True, description="Faux : refuser plutôt qu'inscrire en liste d'attente.")


class CancelIn(Schema):
    sick: bool = Field(False, description="Annulation le jour même pour enfant malade, si l'activité le permet.")


class PatternIn(Schema):
    child_id: int = Field(ge=1, le=2**62)
    activity_id: int = Field(ge=1, le=2**62)
    weekdays: List[int] = Field(min_length=1, max_length=7, description="Jours de la semaine (0 = lundi).")
    start: dt.date
    end: dt.date
    waiting_list: bool = True


class ChangeIn(Schema):
    child_id: int = Field(ge=1, le=2**62)
    activity_id: int = Field(ge=1, le=2**62)
    day: dt.date
    action: Literal["book", "cancel"]
    sick: bool = False


class ChangesIn(Schema):
    changes: List[ChangeIn] = Field(min_length=1, max_length=400)
    waiting_list: bool = True


class ResultOut(Schema):
    dry_run: bool
    booked: int
    waiting: int
    cancelled: int
    unchanged: int
    refused: int
    not_running: int
    price_change: Optional[Decimal] = Field(None, description="Ce que le changement ajoute à la facture.")
    outcomes: List[OutcomeOut]


# --- Billing -----------------------------------------------------------------------------

class InvoiceOut(Schema):
    id: int
    number: str
    year: int
    month: int
    office: str
    status: str
    status_label: str
    total: Decimal
    amount_paid: Decimal
    amount_credited: Decimal
    balance: Decimal
    issued_at: Optional[dt.datetime] = None
    due_date: Optional[dt.date] = None
    payer_name: str


class InvoiceLineOut(Schema):
    child_id: int
    activity_id: int
    day: dt.date
    description: str
    quantity: Decimal
    unit_price: Decimal
    amount: Decimal


class PaymentOut(Schema):
    id: int
    invoice_id: int
    invoice_number: str
    amount: Decimal
    method: str
    method_label: str
    received_at: dt.datetime


class CreditNoteOut(Schema):
    number: str
    amount: Decimal
    reason: str
    created_at: dt.datetime


class InvoiceDetailOut(InvoiceOut):
    lines: List[InvoiceLineOut]
    payments: List[PaymentOut]
    credit_notes: List[CreditNoteOut]
    can_pay: bool
    payment_refusal: Optional[str] = Field(None, description="Pourquoi le paiement en ligne n'est pas possible.")


class PaymentStartOut(Schema):
    redirect_url: str = Field(description="La page de paiement PayFiP où envoyer le parent.")
    transaction_id: int


# --- Documents ---------------------------------------------------------------------------

class DocumentTypeOut(Schema):
    code: str
    name: str
    scope: str = Field(description="household (pièce du foyer) ou child (pièce d'un enfant).")


class DocumentFileOut(Schema):
    id: int
    position: int
    name: str
    content_type: str
    size: int


class DocumentOut(Schema):
    id: int
    household_id: int
    child_id: Optional[int] = None
    type: str
    type_name: str
    status: str
    state: str
    uploaded_at: dt.datetime
    issued_on: Optional[dt.date] = None
    valid_until: Optional[dt.date] = None
    rejection_reason: str
    files: List[DocumentFileOut]


# --- History -----------------------------------------------------------------------------

class BookingChangeOut(Schema):
    id: int
    at: dt.datetime
    child_id: int
    activity_id: int
    activity_name: str
    day: dt.date
    action: str
    action_label: str
    before_status: str
    after_status: str
    by: str = Field(description="vous, un agent de la commune, ou l'autre responsable.")
    note: str


class HouseholdEventOut(Schema):
    id: int
    at: dt.datetime
    action: str
    action_label: str
    summary: str
    by: str
    channel: str = Field(..., description="web, api, admin ou system : par où l'opération est arrivée")
