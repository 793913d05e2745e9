"""Private files: served by Django or handed to nginx (X-Accel-Redirect), never cached,
never outside the private folder, with a cleaned download name."""

import pytest
from django.http import Http404
from django.test import override_settings

from portal.private_files import clean_filename, private_file_response


@pytest.fixture
def private_root(tmp_path):
    root = tmp_path / "private"
    (root / "foyers" / "12").mkdir(parents=True)
    (root / "foyers" / "12" / "a1b2.pdf").write_bytes(b"%PDF-1.4 test")
    (tmp_path / "outside.txt").write_text("secret")
    with override_settings(PRIVATE_MEDIA_ROOT=root):
        yield root


def test_streamed_by_django_without_nginx(private_root):
    response = private_file_response("foyers/12/a1b2.pdf", filename="Attestation CAF.pdf", content_type="application/pdf")
    assert b"".join(response.streaming_content) == b"%PDF-1.4 test"
    assert response["Content-Type"] == "application/pdf"
    assert response["Cache-Control"] == "no-store, private, max-age=0"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"] == (
        "attachment; filename=\"Attestation CAF.pdf\"; filename*=UTF-8''Attestation%20CAF.pdf")
    assert "X-Accel-Redirect" not in response


def test_handed_to_nginx_with_x_accel_redirect(private_root):
    with override_settings(PRIVATE_MEDIA_X_ACCEL_PREFIX="/_private/"):
        response = private_file_response("foyers/12/a1b2.pdf", filename="certificat é.pdf", inline=True)
    assert response["X-Accel-Redirect"] == "/_private/foyers/12/a1b2.pdf"
    assert response.content == b""
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith('inline; filename="certificat e.pdf"; filename*=UTF-8')
    assert "no-store" in response["Cache-Control"]


@pytest.mark.parametrize("path", ["../outside.txt", "/etc/passwd", "foyers/../../outside.txt", "foyers/12/missing.pdf", "foyers"])
def test_nothing_outside_the_private_folder_and_no_missing_file(private_root, path):
    with pytest.raises(Http404):
        private_file_response(path, filename="x.pdf")


@pytest.mark.parametrize("raw, clean", [
    ('../../etc/passwd', "passwd"),
    ('C:\\Users\\marie\\scan.pdf', "scan.pdf"),
    ('a"b;c\r\nSet-Cookie: x.pdf', "a_b_c_Set-Cookie_ x.pdf"),
    ("", "document"),
    ("...", "document"),
    ("é" * 200 + ".pdf", "é" * 116 + ".pdf"),
])
def test_download_names_are_cleaned(raw, clean):
    assert clean_filename(raw) == clean
