"""PDF documents with fpdf2 (installs from PyPI alone): the invoice and the yearly
certificate of childcare costs. The core fonts cover Latin-1: other characters are
replaced (``€`` is written ``EUR``)."""

from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _
from fpdf import FPDF

REPLACEMENTS = {"€": "EUR", "œ": "oe", "Œ": "OE", "’": "'", "‘": "'", "“": '"', "”": '"', "–": "-", "—": "-",
                "…": "...", "\u202f": " ", "\u00a0": " ", "∞": "-"}


def latin1(text):
    text = str(text)
    for char, replacement in REPLACEMENTS.items():
        text = text.replace(char, replacement)
    return text.encode("latin-1", "replace").decode("latin-1")


def euros(amount):
    amount = Decimal(amount).quantize(Decimal("0.01"))
    sign = "-" if amount < 0 else ""
    whole, cents = f"{abs(amount):.2f}".split(".")
    groups = []
    while whole:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    return f"{sign}{' '.join(groups)},{cents} EUR"


class Document(FPDF):
    def __init__(self, title, issuer):
        super().__init__(orientation="P", unit="mm", format="A4")
        self.doc_title = title
        self.issuer = issuer
        self.set_title(latin1(title))
        self.set_author(latin1(issuer))
        self.set_creator("Portail Famille")
        self.set_auto_page_break(auto=True, margin=18)
        self.add_page()

    def header(self):
        self.set_font("Helvetica", "B", 12)
        self.cell(0, 7, latin1(self.issuer), new_x="LMARGIN", new_y="NEXT")
        self.set_font("Helvetica", "", 9)
        self.cell(0, 5, latin1(self.doc_title), new_x="LMARGIN", new_y="NEXT")
        self.ln(3)

    def footer(self):
        self.set_y(-12)
        self.set_font("Helvetica", "", 8)
        self.cell(0, 5, latin1(_("Page %(page)s") % {"page": self.page_no()}), align="R")

    def text_line(self, text, size=10, style="", height=5.5):
        self.set_font("Helvetica", style, size)
        self.multi_cell(0, height, latin1(text), new_x="LMARGIN", new_y="NEXT")

    def table(self, headings, rows, widths, aligns=None):
        aligns = aligns or ["L"] * len(headings)
        self.set_font("Helvetica", "B", 9)
        for heading, width, align in zip(headings, widths, aligns):
            self.cell(width, 6, latin1(heading), border="B", align=align)
        self.ln()
        self.set_font("Helvetica", "", 9)
        for row in rows:
            for value, width, align in zip(row, widths, aligns):
                self.cell(width, 5.5, latin1(value)[:95], align=align)
            self.ln()


def invoice_pdf(invoice, lines, payments, credit_notes):
    office = invoice.office
    doc = Document(_("Facture %(number)s") % {"number": invoice.number}, office.name)
    doc.text_line(_("Facture n° %(number)s") % {"number": invoice.number}, size=14, style="B", height=8)
    doc.text_line(_("Période : %(period)s") % {"period": invoice.period_label})
    doc.text_line(_("Émise le %(date)s — à payer avant le %(due)s") % {
        "date": timezone.localtime(invoice.issued_at).strftime("%d/%m/%Y"),
        "due": invoice.due_date.strftime("%d/%m/%Y") if invoice.due_date else "-"})
    doc.text_line(_("Code famille : %(code)s") % {"code": invoice.household.code})
    doc.ln(2)
    doc.text_line(invoice.payer_name, style="B")
    if invoice.payer_address:
        doc.text_line(invoice.payer_address)
    doc.ln(4)
    doc.table(
        [_("Enfant"), _("Prestation"), _("Prix unitaire"), _("Montant")],
        [(line.child.first_name, line.description, euros(line.unit_price), euros(line.amount)) for line in lines],
        [28, 112, 25, 25], ["L", "L", "R", "R"],
    )
    doc.ln(3)
    doc.set_font("Helvetica", "B", 10)
    summary = [(_("Total de la facture"), invoice.total)]
    if invoice.amount_credited:
        summary.append((_("Avoirs"), -invoice.amount_credited))
    if invoice.amount_paid:
        summary.append((_("Déjà payé"), -invoice.amount_paid))
    summary.append((_("Reste à payer"), invoice.balance))
    for label, amount in summary:
        doc.cell(165, 6, latin1(label), align="R")
        doc.cell(25, 6, latin1(euros(amount)), align="R", new_x="LMARGIN", new_y="NEXT")
    if credit_notes:
        doc.ln(2)
        doc.text_line(_("Avoirs"), style="B")
        for note in credit_notes:
            doc.text_line(f"{note.number} — {note.reason} : {euros(note.amount)}", size=9)
    if payments:
        doc.ln(2)
        doc.text_line(_("Paiements reçus"), style="B")
        for payment in payments:
            doc.text_line(f"{timezone.localtime(payment.received_at):%d/%m/%Y} — {payment.get_method_display()} : "
                          f"{euros(payment.amount)}", size=9)
    doc.ln(4)
    doc.text_line(_("Payable en ligne sur le portail famille (PayFiP : carte bancaire ou prélèvement unique), ou au "
                    "guichet de la régie : %(office)s.") % {"office": office.name}, size=9)
    if office.address or office.opening_hours:
        doc.text_line(" ".join(part for part in [office.address.replace("\n", ", "), office.opening_hours] if part),
                      size=9)
    return bytes(doc.output())


def certificate_pdf(household, year, rows, issuer, payer_name):
    """``rows`` from ``billing.certificates.childcare_costs``."""
    from .certificates import eligible_birth_date

    doc = Document(_("Attestation de frais de garde %(year)s") % {"year": year}, issuer)
    doc.text_line(_("Attestation de frais de garde — année %(year)s") % {"year": year}, size=14, style="B", height=8)
    doc.text_line(_("Foyer %(name)s (code %(code)s)") % {"name": household.name, "code": household.code})
    doc.text_line(_("Payeur : %(name)s") % {"name": payer_name})
    doc.ln(3)
    doc.text_line(_("La régie atteste que les sommes suivantes ont été payées au cours de l'année %(year)s pour la "
                    "garde des enfants de moins de 6 ans au 1er janvier %(year)s (nés à partir du %(born)s), "
                    "déduction faite des avoirs :") % {
        "year": year, "born": eligible_birth_date(year).strftime("%d/%m/%Y")})
    doc.ln(2)
    if rows:
        doc.table(
            [_("Enfant"), _("Né(e) le"), _("Prestations de garde"), _("Payé")],
            [(r["child"].first_name + " " + r["child"].last_name, r["child"].birth_date.strftime("%d/%m/%Y"),
              ", ".join(r["activities"])[:60], euros(r["amount"])) for r in rows],
            [44, 24, 94, 28], ["L", "L", "L", "R"],
        )
        doc.ln(2)
        doc.text_line(_("Total : %(amount)s") % {"amount": euros(sum(r["amount"] for r in rows))}, style="B")
    else:
        doc.text_line(_("Aucune somme éligible n'a été payée cette année."), style="B")
    doc.ln(2)
    doc.text_line(_("Seuls comptent les enfants de moins de 6 ans au 1er janvier de l'année et les prestations de "
                    "garde (accueil périscolaire, centre de loisirs) ; les repas ne sont pas des frais de garde. Les "
                    "sommes payées en CESU préfinancés par un employeur sont à déduire de la déclaration."), size=9)
    doc.text_line(_("Établie le %(date)s.") % {"date": timezone.localdate().strftime("%d/%m/%Y")}, size=9)
    return bytes(doc.output())
