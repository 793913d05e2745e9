"""Benchmark of the checks on uploaded files (prints figures, never fails on time).

    DJANGO_SETTINGS_MODULE=portal.settings.dev .venv/bin/python bench/documents_checks.py

Generates a phone-sized photo (4000 x 3000 JPEG), a large screenshot (PNG) and a PDF of
many pages, then times ``documents.checks.check_file`` on each (content check, PDF
structure scan, image decoding and rewriting)."""

import io
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.dev")

import django  # noqa: E402

django.setup()

from fpdf import FPDF  # noqa: E402
from PIL import Image  # noqa: E402

from documents.checks import check_file  # noqa: E402


def photo(size, kind):
    image = Image.effect_noise(size, 64).convert("RGB")
    out = io.BytesIO()
    image.save(out, kind, quality=90) if kind == "JPEG" else image.save(out, kind)
    return out.getvalue()


def pdf(pages):
    document = FPDF()
    document.set_font("helvetica", size=11)
    for number in range(pages):
        document.add_page()
        document.multi_cell(0, 6, f"Page {number + 1}. " + "Attestation de quotient familial. " * 80,
                            new_x="LMARGIN", new_y="NEXT")
    return bytes(document.output())


def main():
    samples = {
        "JPEG 4000x3000 (phone photo)": photo((4000, 3000), "JPEG"),
        "PNG 2000x1500 (screenshot)": photo((2000, 1500), "PNG"),
        "PDF 200 pages": pdf(200),
    }
    for name, data in samples.items():
        runs = []
        for _ in range(3):
            started = time.perf_counter()
            result = check_file(data)
            runs.append(time.perf_counter() - started)
        print(f"{name:32} {len(data) / 1e6:6.2f} MB in, {len(result.content) / 1e6:6.2f} MB stored, "
              f"best {min(runs) * 1000:7.1f} ms")


if __name__ == "__main__":
    main()
