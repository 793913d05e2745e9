"""Shared pytest fixtures of the documents area (registered in conftest.py), and builders
of test files (real PDFs, JPEGs, PNGs, and the hostile ones the checks refuse)."""

import datetime
import io
import zlib

import pytest

EICAR = b"X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"


# --- Files -------------------------------------------------------------------------------------


def build_pdf(objects, *, trailer_extra=b"", header=b"%PDF-1.7", after_eof=b"", xref_stream=False):
    """A PDF whose cross-reference offsets are right. ``objects`` are the bodies of objects
    1..n (``b"<< ... >>"`` or a dictionary followed by a stream); object 1 is the catalogue."""
    out = io.BytesIO()
    out.write(header + b"\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    start = out.tell()
    size = len(objects) + 1
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % size)
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R " % size + trailer_extra + b">>\n")
    out.write(b"startxref\n%d\n%%%%EOF\n" % start + after_eof)
    return out.getvalue()


def simple_pdf_objects(page_text=b"BT /F1 24 Tf 72 720 Td (Attestation) Tj ET", catalog_extra=b""):
    content = zlib.compress(page_text)
    return [
        b"<< /Type /Catalog /Pages 2 0 R " + catalog_extra + b">>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(content) + content + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]


def make_pdf(text="Attestation"):
    """A real PDF written by fpdf2 (what a scanner app or a web site produces)."""
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=14)
    pdf.multi_cell(0, 10, text, new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def make_image(kind="JPEG", size=(120, 80), color=(200, 30, 30), exif=None):
    from PIL import Image

    image = Image.new("RGB", size, color)
    out = io.BytesIO()
    params = {}
    if exif is not None:
        params["exif"] = exif
    image.save(out, kind, **params)
    return out.getvalue()


def make_jpeg(**kwargs):
    return make_image("JPEG", **kwargs)


def make_png(**kwargs):
    return make_image("PNG", **kwargs)


def upload_file(name, content, content_type="application/octet-stream"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content, content_type=content_type)


# --- Data ----------------------------------------------------------------------------------------


@pytest.fixture(scope="session", autouse=True)
def private_media_root(tmp_path_factory):
    """Family documents written by any test land in a temporary folder of this test
    session (one per xdist worker), never in the checkout's var/."""
    from django.test.utils import override_settings

    root = tmp_path_factory.mktemp("private-documents")
    with override_settings(PRIVATE_MEDIA_ROOT=root):
        yield root


class Family:
    """A household with one guardian (a login past the regulation gate) and two children."""

    def __init__(self, name, email, password):
        from accounts.models import Child, Guardian, GuardianChildRight, Household, User
        from home.acceptance import accept_current

        self.household = Household.objects.create(name=name, city="Aulnoy-lez-Valenciennes")
        self.user = User.objects.create_user(email=email, password=password, first_name="Alex", last_name=name)
        accept_current(self.user)
        self.guardian = Guardian.objects.create(household=self.household, user=self.user, first_name="Alex",
                                                last_name=name)
        self.child = Child.objects.create(household=self.household, first_name="Camille", last_name=name,
                                          birth_date=datetime.date(2018, 5, 4))
        self.other_child = Child.objects.create(household=self.household, first_name="Sacha", last_name=name,
                                                birth_date=datetime.date(2020, 2, 1))
        for child in (self.child, self.other_child):
            GuardianChildRight.objects.create(guardian=self.guardian, child=child, can_view=True, can_book=True,
                                              can_pay=True)


@pytest.fixture
def family(db, password):
    return Family("DUPONT", "parent.dupont@example.org", password)


@pytest.fixture
def other_family(db, password):
    return Family("LEGRAND", "parent.legrand@example.org", password)


@pytest.fixture
def certificate_type(db):
    from documents.models import DocumentType

    return DocumentType.objects.create(code="certificat-test", name="Certificat médical", scope="child",
                                       validity_days=365)


@pytest.fixture
def address_type(db):
    from documents.models import DocumentType

    return DocumentType.objects.create(code="domicile-test", name="Justificatif de domicile", scope="household",
                                       validity_days=90)


@pytest.fixture
def agent(db, password):
    from django.contrib.auth.models import Group

    from accounts.models import User
    from accounts.roles import AGENTS, ensure_groups

    ensure_groups()
    user = User.objects.create_user(email="agent.documents@example.org", password=password, is_staff=True,
                                    first_name="Nadia", last_name="Agent")
    user.groups.add(Group.objects.get(name=AGENTS))
    return user


@pytest.fixture
def make_document(db):
    """make_document(family, type, child=None, status="pending", files=[(name, bytes)], ...)"""
    from django.utils import timezone

    from documents.checks import check_file
    from documents.models import SupportingDocument
    from documents.uploads import IncomingFile, store_checked_files

    def make(household, document_type, *, child=None, status="pending", files=None, valid_until=None,
             uploaded_at=None, reviewed_at=None, reason="", uploaded_by=None):
        now = timezone.now()
        document = SupportingDocument.objects.create(
            household=household, child=child, document_type=document_type, status=status,
            uploaded_at=uploaded_at or now, valid_until=valid_until, uploaded_by=uploaded_by,
            reviewed_at=reviewed_at or (now if status != "pending" else None),
            rejection_reason=reason or ("Illisible" if status == "rejected" else ""),
        )
        files = files if files is not None else [("scan.pdf", make_pdf())]
        store_checked_files(document, [(IncomingFile(n, c), check_file(c)) for n, c in files], now=now, stored=[])
        return document

    return make


# --- the documents area's URLs in the access matrix (tests/access_matrix.py) ------------

def _matrix_document(world):
    """A pending certificate with one stored page, for the victim's child."""
    from django.utils import timezone

    from documents.checks import check_file
    from documents.models import DocumentType, SupportingDocument
    from documents.uploads import IncomingFile, store_checked_files

    kind, _ = DocumentType.objects.get_or_create(code="matrice-certificat", defaults={
        "name": "Certificat (matrice)", "scope": "child"})
    document = SupportingDocument.objects.create(household=world.victim_household, child=world.victim_child,
                                                 document_type=kind, uploaded_by=world.victim_user)
    content = make_pdf()
    store_checked_files(document, [(IncomingFile("scan.pdf", content), check_file(content))],
                        now=timezone.now(), stored=[])
    return document


def _register_matrix():
    from tests.access_matrix import object_url

    object_url("documents:delete")(lambda world: {"pk": _matrix_document(world).pk})
    object_url("documents:download", methods=("get",))(
        lambda world: {"pk": _matrix_document(world).files.get().pk})


_register_matrix()
