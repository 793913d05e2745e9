"""Checks on the files a family sends, by content and never by name.

Accepted: PDF, JPEG and PNG. What is refused, and why:

- anything whose first bytes are not a PDF header (``%PDF-1.x`` or ``%PDF-2.0`` at the
  very start), a JPEG (``FF D8 FF``) or a PNG signature: HTML renamed ``.pdf``, SVG,
  Word or ZIP files, executables... (a photo in Apple's HEIC format gets its own message);
- images Pillow cannot decode completely, whose format differs from their signature, or
  larger than ``PORTAL_DOCUMENTS_MAX_IMAGE_PIXELS`` (decompression bombs);
- PDFs without a readable structure: no ``%%EOF`` at the end, no ``startxref`` offset
  inside the file, no cross-reference table or stream, no document catalogue (``/Root``);
  password-protected (encrypted) PDFs, whose content cannot be checked;
- PDFs with active content: JavaScript (``/JS``, ``/JavaScript``), launch actions
  (``/Launch``), embedded files (``/EmbeddedFile``) or rich media (``/RichMedia``), found
  in the objects and inside compressed object streams, ``#xx``-escaped names included;
- polyglots, files that are valid in two formats at once: an image that also holds a
  PDF header (JPEG/PDF); a file with HTML or script markup (``<html``, ``<script``,
  ``<svg``, ``<iframe``, ``<!doctype``, ``javascript:``...) in its first kilobyte (what
  browsers sniff), in an image's metadata (JPEG segments, PNG text chunks) or after its
  end marker, or in a PDF's objects (outside the binary streams, inside object streams);
  a PDF followed by other data after its last ``%%EOF`` (PDF/ZIP).

Images are then decoded and written again by the server (EXIF orientation applied,
metadata such as the GPS position of a phone photo removed, sides above
``PORTAL_DOCUMENTS_IMAGE_MAX_SIDE`` reduced): what is stored is a clean image.
"""

import io
import re
import unicodedata
import warnings
import zlib
from dataclasses import dataclass
from urllib.parse import quote

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps

JPEG = "image/jpeg"
PNG = "image/png"
PDF = "application/pdf"
EXTENSIONS = {JPEG: ".jpg", PNG: ".png", PDF: ".pdf"}

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
JPEG_SIGNATURE = b"\xff\xd8\xff"
PDF_HEADER = re.compile(rb"%PDF-(?:1\.[0-7]|2\.0)\b")
HEIF_BRANDS = (b"heic", b"heix", b"hevc", b"hevx", b"mif1", b"msf1", b"avif")

# Markup that a browser would run if it ever took the file for a web page.
MARKUP = re.compile(
    rb"<\s*(?:html|script|svg|iframe|body|object|embed|!doctype|\?php)\b|javascript\s*:",
    re.IGNORECASE,
)
# PDF names that make a document active (after #xx escapes are decoded).
ACTIVE_PDF_NAMES = {b"JS", b"JavaScript", b"Launch", b"EmbeddedFile", b"EmbeddedFiles", b"RichMedia"}
PDF_NAME = re.compile(rb"/([^\s/<>\[\]()%{}]+)")
PDF_STREAM = re.compile(rb"(?<!end)stream(?:\r\n|\n|\r)")
# Decompressed bytes of object streams inspected per PDF at most.
MAX_INFLATED = 64 * 1024 * 1024


class FileRefused(Exception):
    """A file that is not accepted; ``message`` says why, in words a parent understands."""

    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


@dataclass
class CheckedFile:
    content: bytes
    content_type: str

    @property
    def extension(self):
        return EXTENSIONS[self.content_type]


NOT_ACCEPTED = _("Ce fichier n'est ni un PDF, ni une photo JPEG ou PNG : seuls ces formats sont acceptés.")


def sniff(data):
    """The content type announced by the first bytes (None when not accepted)."""
    if data.startswith(PNG_SIGNATURE):
        return PNG
    if data.startswith(JPEG_SIGNATURE):
        return JPEG
    if PDF_HEADER.match(data):
        return PDF
    return None


def check_file(data):
    """Check ``data`` (the whole file) and return the ``CheckedFile`` to store, or raise
    ``FileRefused``."""
    if not data:
        raise FileRefused(_("Ce fichier est vide."))
    content_type = sniff(data)
    if content_type is None:
        if len(data) >= 12 and data[4:8] == b"ftyp" and data[8:12] in HEIF_BRANDS:
            raise FileRefused(
                _("Les photos au format HEIC ne sont pas acceptées : réglez l'appareil photo sur le format "
                  "« le plus compatible » (JPEG), ou envoyez une capture d'écran.")
            )
        raise FileRefused(NOT_ACCEPTED)
    # Browsers sniff the first bytes of a file: no markup there, whatever the format.
    if MARKUP.search(data[:1024]):
        raise FileRefused(MARKUP_REFUSED)
    if content_type == PDF:
        check_pdf(data)
        return CheckedFile(data, PDF)
    if b"%PDF-" in data:
        raise FileRefused(_("Cette image contient aussi un document PDF : elle est refusée par sécurité."))
    metadata = jpeg_metadata(data) if content_type == JPEG else png_metadata(data)
    if MARKUP.search(metadata):
        raise FileRefused(MARKUP_REFUSED)
    return CheckedFile(reencode_image(data, content_type), content_type)


MARKUP_REFUSED = _("Ce fichier contient du code de page web : il est refusé par sécurité.")


def jpeg_metadata(data):
    """The bytes of a JPEG that are not image data: the segments before the first scan
    (EXIF, comments...) and whatever follows the end-of-image marker."""
    parts = []
    position = 2
    while position + 4 <= len(data):
        if data[position] != 0xFF:
            break
        marker = data[position + 1]
        if marker == 0xFF:  # fill byte
            position += 1
            continue
        if marker == 0xDA:  # start of scan: entropy-coded data follows
            end = data.find(b"\xff\xd9", position)
            if end >= 0:
                parts.append(data[end + 2 :])
            break
        length = int.from_bytes(data[position + 2 : position + 4], "big")
        parts.append(data[position + 4 : position + 2 + length])
        position += 2 + length
    return b"\n".join(parts)


def png_metadata(data):
    """The bytes of a PNG that are not image data: every chunk but IDAT, and whatever
    follows IEND."""
    parts = []
    position = len(PNG_SIGNATURE)
    while position + 8 <= len(data):
        length = int.from_bytes(data[position : position + 4], "big")
        kind = data[position + 4 : position + 8]
        if kind != b"IDAT":
            parts.append(data[position + 8 : position + 8 + length])
        position += 12 + length
        if kind == b"IEND":
            parts.append(data[position:])
            break
    return b"\n".join(parts)


# --- Images ---------------------------------------------------------------------------------


def reencode_image(data, content_type):
    """Decode the whole image with Pillow and write it again (orientation applied, no metadata)."""
    expected = "JPEG" if content_type == JPEG else "PNG"
    unreadable = _("Cette image est illisible ou incomplète : prenez une nouvelle photo.")
    max_pixels = settings.PORTAL_DOCUMENTS_MAX_IMAGE_PIXELS
    max_side = settings.PORTAL_DOCUMENTS_IMAGE_MAX_SIDE
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as probe:
                if probe.format != expected:
                    raise FileRefused(unreadable)
                width, height = probe.size
                if width * height > max_pixels or width < 1 or height < 1:
                    raise FileRefused(_("Cette image est trop grande (en pixels) : réduisez sa définition."))
                probe.verify()
            with Image.open(io.BytesIO(data)) as image:
                if content_type == JPEG:
                    image.draft("RGB", (max_side, max_side))  # decode at a reduced scale when possible
                image.load()
                image = ImageOps.exif_transpose(image)
                if max(image.size) > max_side:
                    image.thumbnail((max_side, max_side), Image.Resampling.LANCZOS)
                return _encode(image, content_type)
    except FileRefused:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise FileRefused(_("Cette image est trop grande (en pixels) : réduisez sa définition.")) from None
    except Exception:  # Pillow raises many kinds of errors on broken files
        raise FileRefused(unreadable) from None


def _encode(image, content_type):
    out = io.BytesIO()
    if content_type == JPEG:
        if image.mode not in ("RGB", "L"):
            image = image.convert("RGB")
        image.save(out, "JPEG", quality=88, optimize=True)
    else:
        if image.mode not in ("RGB", "RGBA", "L", "LA", "P", "1"):
            image = image.convert("RGBA")
        image.save(out, "PNG", optimize=False)
    return out.getvalue()


# --- PDF ------------------------------------------------------------------------------------

PDF_BROKEN = _(
    "Ce PDF est incomplet ou endommagé : enregistrez-le de nouveau (« Imprimer en PDF ») ou envoyez une photo."
)


def check_pdf(data):
    """The PDF structure (end marker, cross-references, catalogue) and the absence of
    active content or markup; raises ``FileRefused``."""
    tail_start = max(0, len(data) - 2048)
    tail = data[tail_start:]
    eof = tail.rfind(b"%%EOF")
    if eof < 0:
        raise FileRefused(PDF_BROKEN)
    if tail[eof + 5 :].strip(b" \t\r\n\x00"):
        raise FileRefused(_("Ce PDF est suivi d'autres données : il est refusé par sécurité."))
    startxref = list(re.finditer(rb"startxref\s+(\d+)\s*%%EOF", tail))
    if not startxref:
        raise FileRefused(PDF_BROKEN)
    offset = int(startxref[-1].group(1))
    if offset <= 0 or offset >= len(data):
        raise FileRefused(PDF_BROKEN)
    skeleton, object_streams = pdf_parts(data)
    if not _has_cross_references(data, skeleton, offset):
        raise FileRefused(PDF_BROKEN)
    if not re.search(rb"\d+\s+\d+\s+obj\b", skeleton) or b"endobj" not in skeleton:
        raise FileRefused(PDF_BROKEN)
    if not re.search(rb"/Root\s+\d+\s+\d+\s+R", skeleton):
        raise FileRefused(PDF_BROKEN)
    names = pdf_names(skeleton)
    if b"Encrypt" in names:
        raise FileRefused(
            _("Ce PDF est protégé par un mot de passe ou chiffré : enregistrez-le sans protection, ou envoyez "
              "une photo du document.")
        )
    if MARKUP.search(skeleton):
        raise FileRefused(MARKUP_REFUSED)
    for inflated in object_streams:
        if MARKUP.search(inflated):
            raise FileRefused(MARKUP_REFUSED)
        names |= pdf_names(inflated)
    if names & ACTIVE_PDF_NAMES:
        raise FileRefused(
            _("Ce PDF contient du contenu actif (script, fichier joint ou lancement d'application) : il est "
              "refusé par sécurité. Imprimez-le en PDF ou envoyez une photo.")
        )


def pdf_parts(data):
    """(skeleton, object streams): the PDF without the bodies of its streams (objects,
    dictionaries, strings, comments, cross-references), and the decompressed content of
    its object streams (``/Type /ObjStm``), which hold objects too. Other streams (page
    content, images, fonts) are binary data that is never interpreted as names."""
    pieces = []
    object_streams = []
    budget = MAX_INFLATED
    position = 0
    for match in PDF_STREAM.finditer(data):
        if match.start() < position:
            continue
        end = data.find(b"endstream", match.end())
        if end < 0:
            break
        pieces.append(data[position : match.start()])
        dictionary = data[data.rfind(b"obj", position, match.start()) : match.start()]
        if re.search(rb"/Type\s*/ObjStm\b", dictionary):
            decompressor = zlib.decompressobj()
            try:
                inflated = decompressor.decompress(data[match.end() : end], budget)
            except zlib.error:
                raise FileRefused(PDF_BROKEN) from None
            if decompressor.unconsumed_tail:
                raise FileRefused(_("Ce PDF est trop volumineux une fois décompressé : il ne peut pas être vérifié."))
            budget -= len(inflated)
            object_streams.append(inflated)
        position = end + len(b"endstream")
    pieces.append(data[position:])
    return b"\n".join(pieces), object_streams


def _has_cross_references(data, skeleton, offset):
    """A cross-reference table (``xref``) or stream (``N G obj << /Type /XRef``) starts at
    ``offset``, or, when a tool wrote a slightly wrong offset, elsewhere in the file."""
    at = data[offset : offset + 512].lstrip(b" \t\r\n\x00")
    if at.startswith(b"xref"):
        return True
    if re.match(rb"\d+\s+\d+\s+obj\s*<<", at) and re.search(rb"/Type\s*/XRef\b", at):
        return True
    return bool(re.search(rb"(?:^|[\r\n])xref\s*[\r\n]", skeleton) or re.search(rb"/Type\s*/XRef\b", skeleton))


def pdf_names(data):
    """The PDF names used in ``data``, with their ``#xx`` escapes decoded."""
    found = set()
    for raw in PDF_NAME.findall(data):
        if b"#" in raw:
            raw = re.sub(rb"#([0-9A-Fa-f]{2})", lambda m: bytes([int(m.group(1), 16)]), raw)
        found.add(raw)
    return found


# --- Names ----------------------------------------------------------------------------------

UNSAFE_NAME_CHARACTERS = re.compile(r'[\\/:*?"<>|;\x00-\x1f\x7f]')


def clean_filename(name, extension=None, *, fallback="document", max_length=100):
    """A name fit to show and to put in a download header: no path, no control,
    invisible or direction-changing character, no quote, no CR/LF; at most
    ``max_length`` characters; ending with ``extension`` (that of the checked content),
    or with the name's own extension (cleaned) when ``extension`` is None."""
    name = unicodedata.normalize("NFC", str(name or ""))
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C")  # Cc, Cf (bidi), Co, Cn
    name = UNSAFE_NAME_CHARACTERS.sub("_", name)
    name = " ".join(name.split())
    stem = name.rsplit(".", 1)[0] if "." in name else name
    if extension is None:
        own = re.sub(r"[^A-Za-z0-9]", "", name.rsplit(".", 1)[1])[:8] if "." in name else ""
        extension = f".{own.lower()}" if own else ""
    stem = stem.strip(" ._-")[: max_length - len(extension)].strip(" ._-") or fallback
    return f"{stem}{extension}"


def ascii_filename(name):
    """The ASCII fallback of ``name`` for old clients (accents removed, others replaced)."""
    decomposed = unicodedata.normalize("NFKD", name)
    ascii_name = "".join(ch for ch in decomposed if ord(ch) < 128 and not unicodedata.combining(ch))
    ascii_name = re.sub(r"[^A-Za-z0-9 ._()+-]", "_", ascii_name)
    return ascii_name.strip() or "document"


def content_disposition(name, *, inline=False):
    """``attachment; filename="..."; filename*=UTF-8''...`` (RFC 6266 and 5987) for a
    name already cleaned by ``clean_filename`` (cleaned again here: no header injection)."""
    name = clean_filename(name)
    disposition = "inline" if inline else "attachment"
    return f"{disposition}; filename=\"{ascii_filename(name)}\"; filename*=UTF-8''{quote(name, safe='')}"
