"""The checks on uploaded files: by content, not by name; what is refused, one test each."""

import io
import zlib

import pytest
from PIL import Image

from documents.checks import (
    PDF,
    PNG,
    FileRefused,
    JPEG,
    check_file,
    clean_filename,
    content_disposition,
)
from tests.fixtures_documents import build_pdf, make_jpeg, make_pdf, make_png, simple_pdf_objects


@pytest.fixture(autouse=True)
def french():
    """The messages are checked in French, whatever language an earlier test left active."""
    from django.utils import translation

    with translation.override("fr"):
        yield


def refused(data):
    with pytest.raises(FileRefused) as info:
        check_file(data)
    return str(info.value.message)


# --- Accepted ---------------------------------------------------------------------------------


def test_a_real_pdf_is_accepted_as_is():
    data = make_pdf()
    checked = check_file(data)
    assert checked.content_type == PDF and checked.content == data and checked.extension == ".pdf"


def test_a_hand_built_pdf_with_a_classic_cross_reference_table_is_accepted():
    assert check_file(build_pdf(simple_pdf_objects())).content_type == PDF


def test_a_pdf_with_an_open_action_to_a_page_is_accepted():
    # /OpenAction to show page 1 is common and harmless (no script).
    data = build_pdf(simple_pdf_objects(catalog_extra=b"/OpenAction [3 0 R /Fit] "))
    assert check_file(data).content_type == PDF


def test_jpeg_and_png_are_accepted_and_written_again():
    for data, kind in ((make_jpeg(), JPEG), (make_png(), PNG)):
        checked = check_file(data)
        assert checked.content_type == kind
        with Image.open(io.BytesIO(checked.content)) as image:
            assert image.format == ("JPEG" if kind == JPEG else "PNG")
            assert image.size == (120, 80)


def test_the_gps_position_of_a_phone_photo_is_removed_and_its_orientation_applied():
    exif = Image.Exif()
    exif[0x0112] = 6  # orientation: rotate 90° clockwise to display
    exif[0x8825] = {1: "N", 2: (50.0, 20.0, 0.0)}  # GPS IFD
    data = make_jpeg(size=(120, 80), exif=exif.tobytes())
    with Image.open(io.BytesIO(data)) as original:
        assert original.getexif().get(0x0112) == 6
    checked = check_file(data)
    with Image.open(io.BytesIO(checked.content)) as image:
        assert image.size == (80, 120)  # turned upright
        assert not image.getexif()  # no GPS, no orientation left


def test_a_very_large_photo_is_reduced(settings):
    settings.PORTAL_DOCUMENTS_IMAGE_MAX_SIDE = 100
    checked = check_file(make_jpeg(size=(400, 200)))
    with Image.open(io.BytesIO(checked.content)) as image:
        assert max(image.size) <= 100


def test_the_name_does_not_matter_only_the_content():
    # check_file never sees the name: a PNG named .pdf is a PNG, a PDF named .jpg a PDF.
    assert check_file(make_png()).content_type == PNG


# --- Refused: not a PDF, JPEG or PNG ----------------------------------------------------------


def test_an_html_file_renamed_pdf_is_refused():
    assert "ni un PDF" in refused(b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>")


def test_an_svg_image_is_refused():
    svg = b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><circle r="4"/></svg>'
    assert "ni un PDF" in refused(svg)
    assert "ni un PDF" in refused(b'<svg xmlns="http://www.w3.org/2000/svg"></svg>')


@pytest.mark.parametrize("data", [
    b"PK\x03\x04" + b"\x00" * 40,  # ZIP, DOCX, ODT
    b"MZ\x90\x00" + b"\x00" * 40,  # Windows executable
    b"GIF89a" + b"\x00" * 40,
    b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 40,  # old Word
    b"  %PDF-1.7\n",  # a PDF header that is not at the very start
    b"%PDF-9.9\n",
])
def test_other_formats_are_refused(data):
    assert "ni un PDF" in refused(data)


def test_an_empty_file_is_refused():
    assert "vide" in refused(b"")


def test_a_heic_photo_gets_its_own_message():
    assert "HEIC" in refused(b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic")


# --- Refused: broken or hostile images ------------------------------------------------------------


def test_a_truncated_jpeg_is_refused():
    data = make_jpeg(size=(300, 300))
    assert "illisible" in refused(data[: len(data) // 2])


def test_a_png_header_without_an_image_is_refused():
    assert "illisible" in refused(b"\x89PNG\r\n\x1a\n" + b"\x00" * 64)


def test_a_decompression_bomb_is_refused(settings):
    settings.PORTAL_DOCUMENTS_MAX_IMAGE_PIXELS = 10_000
    assert "trop grande" in refused(make_png(size=(200, 200)))


def test_a_jpeg_pdf_polyglot_is_refused():
    # A JPEG with a whole PDF after its end marker: viewers of either format open it.
    assert "PDF" in refused(make_jpeg() + make_pdf())


def test_a_jpeg_with_a_pdf_in_a_comment_segment_is_refused():
    data = make_jpeg()
    pdf = build_pdf(simple_pdf_objects())
    comment = b"\xff\xfe" + (len(pdf) + 2).to_bytes(2, "big") + pdf
    assert "PDF" in refused(data[:2] + comment + data[2:])


def test_a_jpeg_with_html_in_a_comment_segment_is_refused():
    data = make_jpeg()
    html = b"<html><script>alert(document.cookie)</script></html>"
    comment = b"\xff\xfe" + (len(html) + 2).to_bytes(2, "big") + html
    assert "page web" in refused(data[:2] + comment + data[2:])


def test_a_png_with_a_script_after_its_end_is_refused():
    assert "page web" in refused(make_png() + b"<script>alert(1)</script>")


def test_a_png_with_html_in_a_text_chunk_is_refused():
    from PIL import PngImagePlugin

    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", "<iframe src=https://example.org></iframe>")
    out = io.BytesIO()
    Image.new("RGB", (10, 10)).save(out, "PNG", pnginfo=info)
    assert "page web" in refused(out.getvalue())


# --- Refused: broken or hostile PDFs -------------------------------------------------------------------


def test_a_pdf_with_html_is_refused():
    # A PDF/HTML polyglot: valid PDF, and a web page if a browser ever sniffed it.
    data = build_pdf(simple_pdf_objects(), header=b"%PDF-1.7\n<html><body><script>alert(1)</script></body></html>")
    assert "page web" in refused(data)


def test_a_pdf_with_javascript_is_refused():
    objects = simple_pdf_objects(catalog_extra=b"/OpenAction 6 0 R ")
    objects.append(b"<< /Type /Action /S /JavaScript /JS (app.alert\\(1\\)) >>")
    assert "contenu actif" in refused(build_pdf(objects))


def test_a_pdf_with_escaped_javascript_names_is_refused():
    objects = simple_pdf_objects(catalog_extra=b"/OpenAction 6 0 R ")
    objects.append(b"<< /S /J#61vaScript /J#53 (app.alert\\(1\\)) >>")
    assert "contenu actif" in refused(build_pdf(objects))


def test_a_pdf_hiding_javascript_in_a_compressed_object_stream_is_refused():
    hidden = b"6 0 << /S /JavaScript /JS (app.alert\\(1\\)) >>"
    packed = zlib.compress(hidden)
    objects = simple_pdf_objects(catalog_extra=b"/OpenAction 6 0 R ")
    objects.append(
        b"<< /Type /ObjStm /N 1 /First 4 /Length %d /Filter /FlateDecode >>\nstream\n" % len(packed)
        + packed + b"\nendstream"
    )
    assert "contenu actif" in refused(build_pdf(objects))


def test_a_pdf_with_a_launch_action_or_an_embedded_file_is_refused():
    launch = simple_pdf_objects(catalog_extra=b"/OpenAction << /S /Launch /F (cmd.exe) >> ")
    assert "contenu actif" in refused(build_pdf(launch))
    embedded = simple_pdf_objects(catalog_extra=b"/Names << /EmbeddedFiles 6 0 R >> ")
    embedded.append(b"<< /Names [(x.exe) 7 0 R] >>")
    assert "contenu actif" in refused(build_pdf(embedded))


def test_a_pdf_with_a_javascript_link_is_refused():
    objects = simple_pdf_objects()
    objects.append(b"<< /Type /Annot /Subtype /Link /A << /S /URI /URI (javascript:alert(1)) >> >>")
    assert "page web" in refused(build_pdf(objects))


def test_a_pdf_followed_by_a_zip_is_refused():
    # PDF/ZIP polyglot: data after the last %%EOF.
    assert "suivi d'autres données" in refused(make_pdf() + b"PK\x05\x06" + b"\x00" * 18)


def test_an_encrypted_pdf_is_refused():
    data = build_pdf(simple_pdf_objects(), trailer_extra=b"/Encrypt << /Filter /Standard /V 2 /R 3 >> ")
    assert "mot de passe" in refused(data)


@pytest.mark.parametrize("data", [
    b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\n",  # no end marker
    b"%PDF-1.7\n%%EOF\n",  # nothing inside
    b"%PDF-1.4\nnot a pdf at all\nstartxref\n999999\n%%EOF\n",  # offset outside the file
    b"%PDF-1.4\n1 0 obj\n<< >>\nendobj\nstartxref\n9\n%%EOF\n",  # no cross-references, no catalogue
])
def test_a_pdf_without_structure_is_refused(data):
    assert "endommagé" in refused(data)


def test_a_truncated_pdf_is_refused():
    data = make_pdf()
    assert "endommagé" in refused(data[: len(data) - 200])


def test_a_pdf_without_catalogue_is_refused():
    data = build_pdf(simple_pdf_objects()).replace(b"/Root 1 0 R", b"/Size2 1 0 R")
    assert "endommagé" in refused(data)


# --- Names and the download header ------------------------------------------------------------------------


@pytest.mark.parametrize("name, expected", [
    ("scan.pdf", "scan.pdf"),
    ("../../etc/passwd", "passwd.pdf"),
    ("C:\\Users\\marie\\Bureau\\attestation caf.PDF", "attestation caf.pdf"),
    ('facture"; filename="evil.html', "facture__ filename=_evil.pdf"),
    ("line\r\nSet-Cookie: x=1.pdf", "lineSet-Cookie_ x=1.pdf"),
    ("photo\u202egpj.exe", "photogpj.pdf"),  # right-to-left override removed
    ("Certificat médical Léa.jpeg", "Certificat médical Léa.pdf"),
    ("", "document.pdf"),
    ("....pdf", "document.pdf"),
    ("a" * 300 + ".pdf", "a" * 96 + ".pdf"),
])
def test_original_names_are_cleaned(name, expected):
    assert clean_filename(name, ".pdf") == expected


def test_the_download_header_has_an_ascii_name_and_an_utf8_name():
    header = content_disposition("Certificat médical Léa.pdf")
    assert header == (
        "attachment; filename=\"Certificat medical Lea.pdf\"; "
        "filename*=UTF-8''Certificat%20m%C3%A9dical%20L%C3%A9a.pdf"
    )
    assert content_disposition("scan.png", inline=True).startswith("inline; ")


@pytest.mark.parametrize("name", ['a"b.pdf', "a\r\nX-Injected: 1.pdf", "a;b.pdf", "a\\\".pdf", "\x00.pdf"])
def test_no_header_injection_through_the_name(name):
    header = content_disposition(name)
    assert "\r" not in header and "\n" not in header and "\x00" not in header
    ascii_part = header.split('filename="', 1)[1].split('"', 1)[0]
    assert '"' not in ascii_part and ";" not in ascii_part
    assert header.count('"') == 2
