"""The PayFiP web-service adapter (DGFiP "PayFiP Régie Web-service"), written with
``requests``: two SOAP envelopes built here, no SOAP library (the published WSDL refers
to XSDs that do not resolve).

    client = PayfipClient(url, timeout=15, on_exchange=callback)
    idop = client.create_payment(numcli=..., exer=..., refdet=..., objet=..., montant=...,
                                 mel=..., urlnotif=..., urlredirect=..., saisie="T")
    details = client.payment_details(idop)   # dict of strings: resultrans, montant, ...

Errors: ``PayfipFault`` for a SOAP fault (``FonctionnelleErreur`` with its code, e.g.
P5 pending, P1 unknown idOp, R3 bad refdet, A2 bad e-mail; or a technical fault);
``PayfipUnavailable`` for a timeout, a refused connection, an HTTP error without a
fault, or a technical fault (``Tech...Erreur``). ``on_exchange(kind, operation, body,
http_status)`` receives every raw message, so that the caller keeps them.
"""

import re
import unicodedata
import xml.etree.ElementTree as ET
from xml.sax.saxutils import escape

import requests
from django.conf import settings
from django.urls import reverse

SOAP_ENV = "http://schemas.xmlsoap.org/soap/envelope/"
NS_REQUEST = "http://securite.service.tpa.cp.finances.gouv.fr/requete"
NS_RESPONSE = "http://securite.service.tpa.cp.finances.gouv.fr/reponse"
CREATE = "creerPaiementSecurise"
DETAILS = "recupererDetailPaiementSecurise"
CREATE_FIELDS = ("exer", "mel", "montant", "numcli", "objet", "refdet", "saisie", "urlnotif", "urlredirect")
DETAIL_FIELDS = ("dattrans", "heurtrans", "exer", "idOp", "mel", "montant", "numauto", "numcli", "objet", "refdet",
                 "resultrans", "saisie")
TECHNICAL_FAULTS = ("TechDysfonctionnementErreur", "TechIndisponibiliteErreur", "TechProtocolaireErreur")

REFDET_RE = re.compile(r"^[A-Za-z0-9]{6,30}$")
NUMCLI_RE = re.compile(r"^[0-9]{6}$")
OBJET_RE = re.compile(r"^[A-Za-z0-9 ]{0,100}$")
MIN_CENTS = 100
MAX_CENTS = 100_000_00


class PayfipError(Exception):
    pass


class PayfipFault(PayfipError):
    """A SOAP fault answered by PayFiP."""

    def __init__(self, fault_type, code="", libelle="", descriptif="", severite=""):
        self.fault_type = fault_type
        self.code = code
        self.libelle = libelle
        self.descriptif = descriptif
        self.severite = severite
        super().__init__(f"{fault_type} {code}: {libelle or descriptif}".strip())

    @property
    def is_technical(self):
        return self.fault_type in TECHNICAL_FAULTS or self.fault_type != "FonctionnelleErreur"


class PayfipUnavailable(PayfipError):
    """PayFiP could not be reached or answered nothing usable (down, slow, broken)."""


# --- Field rules --------------------------------------------------------------------------


def clean_objet(text):
    """ASCII letters, digits and spaces only, at most 100 characters (accents stripped,
    apostrophes and dashes turned into spaces)."""
    text = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode("ascii")
    text = re.sub(r"[^A-Za-z0-9 ]", " ", text)
    return re.sub(r" +", " ", text).strip()[:100].strip()


def to_cents(amount):
    """Cents as an integer: Decimal('10.00') -> 1000."""
    from decimal import ROUND_HALF_UP, Decimal

    return int((Decimal(amount) * 100).quantize(Decimal("1"), rounding=ROUND_HALF_UP))


def validate_create_fields(fields):
    """The portal's own checks before calling PayFiP (the same ones PayFiP applies)."""
    problems = []
    if not NUMCLI_RE.match(fields.get("numcli", "")):
        problems.append("numcli: exactly 6 digits")
    if not re.match(r"^[0-9]{4}$", fields.get("exer", "")):
        problems.append("exer: a year")
    if not REFDET_RE.match(fields.get("refdet", "")):
        problems.append("refdet: 6 to 30 letters or digits")
    if not OBJET_RE.match(fields.get("objet", "")):
        problems.append("objet: ASCII letters, digits, spaces")
    montant = fields.get("montant", "")
    if not montant.isdigit() or not MIN_CENTS <= int(montant) <= MAX_CENTS:
        problems.append("montant: cents from 100 to 10000000")
    mel = fields.get("mel", "")
    if not 6 <= len(mel) <= 80 or "@" not in mel:
        problems.append("mel: 6 to 80 characters with @")
    if fields.get("saisie") not in ("T", "X", "W"):
        problems.append("saisie: T, X or W")
    return problems


# --- Envelopes ----------------------------------------------------------------------------


def build_request(operation, fields):
    """A SOAP 1.1 envelope for ``operation`` with ``fields`` in ``arg0`` (all strings)."""
    inner = "".join(f"<{name}>{escape(str(value))}</{name}>" for name, value in fields.items())
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        f'<soapenv:Envelope xmlns:soapenv="{SOAP_ENV}" xmlns:req="{NS_REQUEST}">'
        "<soapenv:Header/><soapenv:Body>"
        f"<req:{operation}><arg0>{inner}</arg0></req:{operation}>"
        "</soapenv:Body></soapenv:Envelope>"
    )


def build_response(operation, fields):
    inner = "".join(f"<{name}>{escape(str(value))}</{name}>" for name, value in fields.items())
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        f'<soap:Envelope xmlns:soap="{SOAP_ENV}"><soap:Body>'
        f'<ns2:{operation}Response xmlns:ns2="{NS_RESPONSE}"><return>{inner}</return></ns2:{operation}Response>'
        "</soap:Body></soap:Envelope>"
    )


def build_fault(fault_type, code, libelle, descriptif="", severite="2"):
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        f'<soap:Envelope xmlns:soap="{SOAP_ENV}"><soap:Body><soap:Fault>'
        f"<faultcode>soap:Server</faultcode><faultstring>{escape(libelle)}</faultstring>"
        f'<detail><ns2:{fault_type} xmlns:ns2="{NS_RESPONSE}">'
        f"<code>{escape(code)}</code><descriptif>{escape(descriptif)}</descriptif>"
        f"<libelle>{escape(libelle)}</libelle><severite>{escape(severite)}</severite>"
        f"</ns2:{fault_type}></detail></soap:Fault></soap:Body></soap:Envelope>"
    )


def _local(tag):
    return tag.rsplit("}", 1)[-1]


def _children_as_dict(element):
    return {_local(child.tag): (child.text or "").strip() for child in element}


def parse_envelope(text):
    """(operation element's local name, its arg0/return fields) of a request or an
    answer; raises PayfipFault for a SOAP fault, ValueError for anything else."""
    try:
        root = ET.fromstring(text.encode("utf-8") if isinstance(text, str) else text)
    except ET.ParseError as error:
        raise ValueError(f"not XML: {error}") from error
    body = next((el for el in root.iter() if _local(el.tag) == "Body"), None)
    if body is None or len(body) == 0:
        raise ValueError("no SOAP body")
    payload = body[0]
    if _local(payload.tag) == "Fault":
        detail = next((el for el in payload if _local(el.tag) == "detail"), None)
        if detail is not None and len(detail):
            fault = detail[0]
            values = _children_as_dict(fault)
            raise PayfipFault(_local(fault.tag), values.get("code", ""), values.get("libelle", ""),
                              values.get("descriptif", ""), values.get("severite", ""))
        faultstring = next((el.text for el in payload if _local(el.tag) == "faultstring"), "")
        raise PayfipFault("SoapFault", "", faultstring or "")
    container = next((el for el in payload if _local(el.tag) in ("arg0", "return")), None)
    return _local(payload.tag), (_children_as_dict(container) if container is not None else {})


# --- The client --------------------------------------------------------------------------


class PayfipClient:
    def __init__(self, url, *, timeout=15.0, on_exchange=None, session=None):
        self.url = url
        self.timeout = timeout
        self.on_exchange = on_exchange or (lambda *args, **kwargs: None)
        self.session = session or requests

    def _call(self, operation, fields):
        envelope = build_request(operation, fields)
        self.on_exchange("request", operation, envelope, None)
        try:
            response = self.session.post(
                self.url, data=envelope.encode("utf-8"), timeout=self.timeout,
                headers={"Content-Type": "text/xml; charset=utf-8", "SOAPAction": '""'},
            )
        except requests.Timeout as error:
            self.on_exchange("error", operation, f"timeout after {self.timeout} s: {error}", None)
            raise PayfipUnavailable(f"PayFiP did not answer within {self.timeout} s") from error
        except requests.RequestException as error:
            self.on_exchange("error", operation, f"{type(error).__name__}: {error}", None)
            raise PayfipUnavailable(f"PayFiP unreachable: {error}") from error
        text = response.content.decode("utf-8", "replace")
        self.on_exchange("response", operation, text, response.status_code)
        try:
            _name, values = parse_envelope(text)
        except PayfipFault as fault:
            if fault.is_technical:
                raise PayfipUnavailable(str(fault)) from fault
            raise
        except ValueError as error:
            raise PayfipUnavailable(f"unreadable answer (HTTP {response.status_code}): {error}") from error
        if response.status_code >= 400:
            raise PayfipUnavailable(f"HTTP {response.status_code}")
        return values

    def create_payment(self, **fields):
        """creerPaiementSecurise: returns the idOp."""
        ordered = {name: str(fields[name]) for name in CREATE_FIELDS}
        values = self._call(CREATE, ordered)
        idop = values.get("idOp") or values.get("idop")
        if not idop:
            raise PayfipUnavailable("no idOp in the answer")
        return idop

    def payment_details(self, idop):
        """recupererDetailPaiementSecurise: the server-side result (dict of strings)."""
        return self._call(DETAILS, {"idOp": idop})


# --- Configuration ----------------------------------------------------------------------------


def uses_simulator():
    return settings.PAYFIP.get("URL", "simulator") == "simulator"


def site_base_url(request=None):
    if request is not None:
        return request.build_absolute_uri("/").rstrip("/")
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/")


def soap_url(request=None):
    if uses_simulator():
        return site_base_url(request) + reverse("payfip:simulator_soap")
    return settings.PAYFIP["URL"]


def payment_page_url(idop, request=None):
    from urllib.parse import urlencode

    if uses_simulator():
        base = site_base_url(request) + reverse("payfip:simulator_page")
    else:
        base = settings.PAYFIP.get("PAGE_URL") or "https://www.payfip.gouv.fr/tpa/paiementws.web"
    return f"{base}?{urlencode({'idop': idop})}"


def client(*, on_exchange=None, request=None):
    return PayfipClient(soap_url(request), timeout=float(settings.PAYFIP.get("TIMEOUT", 15)),
                        on_exchange=on_exchange)
