"""The ClamAV hook, against a local fake clamd that speaks the INSTREAM protocol (over a
Unix socket and over TCP), and what happens when clamd is down."""

import socket
import socketserver
import struct
import threading

import pytest

from documents import antivirus
from documents.models import SupportingDocument
from documents.uploads import UploadRefused, upload_document
from tests.fixtures_documents import EICAR, make_pdf, upload_file


class FakeClamd(socketserver.BaseRequestHandler):
    """Reads ``zINSTREAM\\0`` and the chunks; answers like clamd (NUL-terminated)."""

    def handle(self):
        command = b""
        while not command.endswith(b"\0"):
            byte = self.request.recv(1)
            if not byte:
                return
            command += byte
        self.server.commands.append(command)
        received = b""
        while True:
            header = self._exactly(4)
            (length,) = struct.unpack("!L", header)
            if length == 0:
                break
            received += self._exactly(length)
        self.server.scanned.append(received)
        if self.server.answer is not None:
            answer = self.server.answer
        elif EICAR in received:
            answer = b"stream: Eicar-Test-Signature FOUND\0"
        else:
            answer = b"stream: OK\0"
        self.request.sendall(answer)

    def _exactly(self, size):
        data = b""
        while len(data) < size:
            chunk = self.request.recv(size - len(data))
            if not chunk:
                raise ConnectionError("client closed")
            data += chunk
        return data


class UnixServer(socketserver.ThreadingMixIn, socketserver.UnixStreamServer):
    daemon_threads = True


class TCPServer(socketserver.ThreadingMixIn, socketserver.TCPServer):
    daemon_threads = True
    allow_reuse_address = True


def _start(server):
    server.commands, server.scanned, server.answer = [], [], None
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    return server


@pytest.fixture
def unix_clamd(tmp_path, settings):
    path = str(tmp_path / "clamd.sock")
    server = _start(UnixServer(path, FakeClamd))
    settings.PORTAL_CLAMAV_ENABLED = True
    settings.PORTAL_CLAMAV_ADDRESS = f"unix://{path}"
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture
def tcp_clamd(settings):
    server = _start(TCPServer(("127.0.0.1", 0), FakeClamd))
    settings.PORTAL_CLAMAV_ENABLED = True
    settings.PORTAL_CLAMAV_ADDRESS = f"tcp://127.0.0.1:{server.server_address[1]}"
    yield server
    server.shutdown()
    server.server_close()


def test_a_clean_file_passes_over_a_unix_socket(unix_clamd):
    data = b"x" * (3 * antivirus.CHUNK_SIZE + 5)  # several chunks
    assert antivirus.scan_bytes(data) == antivirus.ScanResult(infected=False)
    assert unix_clamd.commands == [b"zINSTREAM\0"]
    assert unix_clamd.scanned == [data]


def test_the_eicar_test_file_is_found_over_tcp(tcp_clamd):
    result = antivirus.scan_bytes(EICAR)
    assert result.infected and result.signature == "Eicar-Test-Signature"


def test_an_error_answer_means_unavailable(tcp_clamd):
    tcp_clamd.answer = b"INSTREAM size limit exceeded. ERROR\0"
    with pytest.raises(antivirus.AntivirusUnavailable):
        antivirus.scan_bytes(b"data")


def test_no_clamd_listening_means_unavailable(tmp_path):
    with pytest.raises(antivirus.AntivirusUnavailable):
        antivirus.scan_bytes(b"data", address=f"unix://{tmp_path / 'absent.sock'}", timeout=1)
    with socket.socket() as probe:  # a free port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with pytest.raises(antivirus.AntivirusUnavailable):
        antivirus.scan_bytes(b"data", address=f"tcp://127.0.0.1:{port}", timeout=1)


def test_a_bad_address_means_unavailable():
    with pytest.raises(antivirus.AntivirusUnavailable):
        antivirus.scan_bytes(b"data", address="http://clamd", timeout=1)


def test_off_by_default(monkeypatch):
    import importlib

    from portal.settings import base

    monkeypatch.delenv("PORTAL_CLAMAV_ENABLED", raising=False)
    assert importlib.reload(base).PORTAL_CLAMAV_ENABLED is False
    assert antivirus.enabled() is False


def _upload(family, document_type, data, name="scan.pdf"):
    return upload_document(family.user, household=family.household, document_type=document_type,
                           files=[upload_file(name, data)], child=family.child)


def test_an_upload_is_scanned_and_stored_when_clean(unix_clamd, family, certificate_type):
    pdf = make_pdf()
    document = _upload(family, certificate_type, pdf)
    assert unix_clamd.scanned == [pdf]
    assert document.files.count() == 1


def test_an_infected_upload_is_refused_and_nothing_is_stored(unix_clamd, family, certificate_type):
    with pytest.raises(UploadRefused) as info:
        _upload(family, certificate_type, make_pdf()[:-6] + EICAR + b"\n%%EOF\n")
    assert "virus" in info.value.messages[0] and "Eicar-Test-Signature" in info.value.messages[0]
    assert not SupportingDocument.objects.exists()


def test_an_upload_is_refused_with_a_clear_message_when_clamd_is_down(settings, tmp_path, family, certificate_type):
    settings.PORTAL_CLAMAV_ENABLED = True
    settings.PORTAL_CLAMAV_ADDRESS = f"unix://{tmp_path / 'down.sock'}"
    with pytest.raises(UploadRefused) as info:
        _upload(family, certificate_type, make_pdf())
    assert "antivirus est momentanément indisponible" in info.value.messages[0]
    assert not SupportingDocument.objects.exists()


def test_without_the_antivirus_nothing_is_sent_anywhere(settings, family, certificate_type, monkeypatch):
    settings.PORTAL_CLAMAV_ENABLED = False

    def fail(*args, **kwargs):
        raise AssertionError("clamd called while off")

    monkeypatch.setattr(antivirus, "scan_bytes", fail)
    assert _upload(family, certificate_type, make_pdf()).pk
