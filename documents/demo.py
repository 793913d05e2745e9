"""Demo data of the documents area: the document types the commune asks for, validated
documents for the demo families wherever a demo activity requires one, one document
awaiting validation, and the editorial documents (public and for logged-in families).

The MARTIN children have **no** sports certificate: the multisports course
(``ecole-sports-multisports``) requires one, and the browser journey sends it.

Idempotent: types are matched on their code, documents on (household, child, type),
editorial documents on their title; the demo PDFs are generated (fpdf2) once.
"""

import datetime

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

D = datetime.date
# The demo school year ends on 3 July 2027 (services.demo): documents stay valid through it.
DEMO_VALID_AT_LEAST_UNTIL = D(2027, 8, 31)

SCHOOL_ENROLMENTS = ["inscription-maternelle", "inscription-elementaire"]

TYPES = [
    # code, fields, required activity codes
    ("justificatif-domicile", {
        "name": "Justificatif de domicile de moins de 3 mois",
        "description": "Facture d'électricité, de gaz, d'eau ou de téléphone fixe, quittance de loyer, "
                       "avis d'imposition : au nom d'un responsable, datée de moins de trois mois.",
        "scope": "household", "validity_days": 90,
    }, SCHOOL_ENROLMENTS),
    ("livret-famille", {
        "name": "Livret de famille (ou acte de naissance)",
        "description": "Les pages des parents et de l'enfant.",
        "scope": "household", "validity_days": None,
    }, SCHOOL_ENROLMENTS),
    ("carnet-vaccinations", {
        "name": "Carnet de vaccinations",
        "description": "Les pages des vaccinations obligatoires, ou un certificat de vaccination du médecin.",
        "scope": "child", "validity_days": None,
    }, [*SCHOOL_ENROLMENTS, "sejour-ete-cote-opale"]),
    ("attestation-caf", {
        "name": "Attestation de quotient familial (CAF ou MSA)",
        "description": "L'attestation téléchargée sur caf.fr ou msa.fr : elle fixe le tarif des activités. "
                       "Sans elle, le tarif le plus élevé s'applique.",
        "scope": "household", "validity_days": 365,
    }, []),
    ("attestation-assurance", {
        "name": "Attestation d'assurance responsabilité civile",
        "description": "Pour la location d'une salle : l'attestation de votre assureur couvrant la date louée.",
        "scope": "household", "validity_days": 365, "required_for_hall_hire": True,
    }, []),
    ("pai", {
        "name": "Projet d'accueil individualisé (PAI)",
        "description": "Le PAI signé par le médecin scolaire (allergie, traitement) : il est renouvelé chaque année.",
        "scope": "child", "validity_days": 365,
    }, []),
    ("certificat-medical-absence", {
        "name": "Certificat médical (justificatif d'absence)",
        "description": "Pour qu'une absence pour maladie ne soit pas facturée : à envoyer dans les 72 heures.",
        "scope": "child", "validity_days": None,
    }, []),
    ("certificat-sport", {
        "name": "Certificat médical de non contre-indication à la pratique sportive",
        "description": "Établi par le médecin depuis moins d'un an, pour l'École municipale des sports.",
        "scope": "child", "validity_days": 365,
    }, ["ecole-sports-multisports"]),
]

# (household code, child first name or None, type code, valid until or None: from the type)
ACCEPTED = [
    *[(code, None, kind, None) for code in ("F-000101", "F-000102", "F-000103")
      for kind in ("justificatif-domicile", "livret-famille", "attestation-assurance")],
    ("F-000101", None, "attestation-caf", D(2027, 12, 31)),
    ("F-000102", None, "attestation-caf", D(2027, 12, 31)),
    *[(code, name, "carnet-vaccinations", None)
      for code, name in (("F-000101", "Léa"), ("F-000101", "Hugo"), ("F-000102", "Chloé"), ("F-000102", "Nathan"),
                         ("F-000103", "Inès"))],
    ("F-000101", "Léa", "pai", None),
    # Not the MARTIN children: the browser journey sends Léa's.
    ("F-000102", "Chloé", "certificat-sport", None),
    ("F-000102", "Nathan", "certificat-sport", None),
    ("F-000103", "Inès", "certificat-sport", None),
]
PENDING = [("F-000102", "Nathan", "certificat-medical-absence", "sophie.bernard@example.org")]

PUBLIC_COLLECTION = "Documents publics"
FAMILY_COLLECTION = "Documents réservés aux familles"
EDITORIAL = [
    # collection, title, file name, lines
    (PUBLIC_COLLECTION, "Règlement intérieur de l'accueil périscolaire", "reglement-accueil-periscolaire.pdf",
     ["Horaires : 7h30-8h30 et 16h30-18h00, les jours d'école.",
      "Réservation au plus tard deux jours ouvrés avant, à 12h00.",
      "Tout quart d'heure de retard après 18h00 est facturé."]),
    (PUBLIC_COLLECTION, "Règlement intérieur de l'École municipale des sports", "reglement-ecole-des-sports.pdf",
     ["Inscription à l'année, dans la limite des places.",
      "Un certificat médical de non contre-indication de moins d'un an est demandé."]),
    (PUBLIC_COLLECTION, "Menus de la restauration scolaire", "menus-restauration-scolaire.pdf",
     ["Lundi : carottes râpées, poisson pané, riz, yaourt.",
      "Mardi : potage, omelette, haricots verts, fruit de saison.",
      "Jeudi : taboulé, poulet rôti, petits pois, fromage.",
      "Vendredi : salade verte, lasagnes végétales, compote."]),
    (PUBLIC_COLLECTION, "Notice d'information sur les données personnelles (PDF)", "notice-donnees-personnelles.pdf",
     ["Les données du portail famille servent aux inscriptions, réservations et à la facturation.",
      "Vous pouvez demander l'accès, la rectification ou l'effacement de vos données à la mairie."]),
    (FAMILY_COLLECTION, "Livret d'accueil du centre de loisirs (contacts des équipes)", "livret-centre-de-loisirs.pdf",
     ["Numéros directs des animateurs et de la direction du centre.",
      "Liste des affaires à prévoir et organisation des sorties."]),
    (FAMILY_COLLECTION, "Programme des sorties de Quartier Libre", "programme-quartier-libre.pdf",
     ["Lieux et horaires de rendez-vous des sorties du trimestre."]),
]


def demo_pdf(title, lines):
    """A small, valid PDF (fpdf2, core fonts) for the demo."""
    from fpdf import FPDF

    pdf = FPDF()
    pdf.set_creation_date(datetime.datetime(2026, 9, 1, tzinfo=datetime.timezone.utc))
    pdf.set_title(title)
    pdf.add_page()
    pdf.set_font("helvetica", "B", 16)
    pdf.multi_cell(0, 10, title, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    pdf.set_font("helvetica", size=12)
    for line in lines:
        pdf.multi_cell(0, 8, line, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(6)
    pdf.set_font("helvetica", "I", 10)
    pdf.multi_cell(0, 6, "Document de démonstration du Portail Famille (Aulnoy-lez-Valenciennes).", new_x="LMARGIN",
                   new_y="NEXT")
    return bytes(pdf.output())


def load_types():
    from services.models import Activity

    from .models import DocumentType

    types = {}
    for code, fields, activity_codes in TYPES:
        defaults = {"required_for_hall_hire": False, "pending_is_enough": False, "is_active": True, **fields}
        document_type, _created = DocumentType.objects.update_or_create(code=code, defaults=defaults)
        document_type.required_for_activities.set(Activity.objects.filter(code__in=activity_codes))
        types[code] = document_type
    return types


def _demo_document(household, child, document_type, *, status, valid_until=None, uploaded_by=None, reviewer=None,
                   now):
    from .checks import check_file
    from .models import SupportingDocument
    from .uploads import IncomingFile, store_checked_files

    document = SupportingDocument.objects.filter(
        household=household, child=child, document_type=document_type, status=status
    ).first()
    if document is None:
        document = SupportingDocument.objects.create(
            household=household, child=child, document_type=document_type, status=status,
            uploaded_by=uploaded_by, uploaded_at=now - datetime.timedelta(days=7),
            reviewed_by=reviewer if status != "pending" else None,
            reviewed_at=now - datetime.timedelta(days=6) if status != "pending" else None,
            valid_until=valid_until,
        )
    elif status == "accepted":
        SupportingDocument.objects.filter(pk=document.pk).update(valid_until=valid_until)
    if not document.files.exists():
        who = str(child) if child else f"foyer {household.name}"
        content = demo_pdf(document_type.name, [f"Concerne : {who}.", f"Foyer {household.name} ({household.code})."])
        name = f"{document_type.code}-{household.code}{'-' + child.first_name if child else ''}.pdf"
        store_checked_files(document, [(IncomingFile(name, content), check_file(content))], now=now, stored=[])
    return document


def load_family_documents(types):
    from accounts.models import Child, Household, User

    today = timezone.localdate()
    now = timezone.now()
    households = {h.code: h for h in Household.objects.filter(code__in={spec[0] for spec in ACCEPTED + PENDING})}
    children = {(c.household.code, c.first_name): c
                for c in Child.objects.filter(household__in=households.values()).select_related("household")}
    reviewer = User.objects.filter(email="agent@example.org").first()
    count = 0
    for code, first_name, type_code, valid_until in ACCEPTED:
        if code not in households:
            continue
        document_type = types[type_code]
        if valid_until is None and document_type.validity_days:
            valid_until = max(today + datetime.timedelta(days=document_type.validity_days), DEMO_VALID_AT_LEAST_UNTIL)
        _demo_document(households[code], children.get((code, first_name)) if first_name else None, document_type,
                       status="accepted", valid_until=valid_until, reviewer=reviewer, now=now)
        count += 1
    for code, first_name, type_code, email in PENDING:
        if code not in households:
            continue
        _demo_document(households[code], children.get((code, first_name)), types[type_code], status="pending",
                       uploaded_by=User.objects.filter(email=email).first(), now=now)
        count += 1
    return count


def load_editorial_documents():
    """Wagtail documents in a public collection and in a collection kept for logged-in users."""
    from django.core.files.storage import default_storage
    from wagtail.documents import get_document_model
    from wagtail.models import Collection, CollectionViewRestriction

    Document = get_document_model()
    root = Collection.get_first_root_node()
    collections = {}
    for name in (PUBLIC_COLLECTION, FAMILY_COLLECTION):
        collection = root.get_children().filter(name=name).first()
        collections[name] = collection or root.add_child(name=name)
    restricted = collections[FAMILY_COLLECTION]
    if not CollectionViewRestriction.objects.filter(collection=restricted).exists():
        CollectionViewRestriction.objects.create(
            collection=restricted, restriction_type=CollectionViewRestriction.LOGIN
        )
    count = 0
    for collection_name, title, file_name, lines in EDITORIAL:
        collection = collections[collection_name]
        document = Document.objects.filter(title=title).first() or Document(title=title)
        document.collection = collection
        stored_name = f"documents/demo/{file_name}"
        if not document.file or not default_storage.exists(document.file.name):
            if not default_storage.exists(stored_name):
                default_storage.save(stored_name, ContentFile(demo_pdf(title, lines)))
            document.file.name = stored_name
            document._set_document_file_metadata()
        document.save()
        count += 1
    return count


@transaction.atomic
def load():
    """Create or refresh the demo documents; returns a summary."""
    types = load_types()
    family = load_family_documents(types)
    editorial = load_editorial_documents()
    return {"types": len(types), "family_documents": family, "editorial_documents": editorial}
