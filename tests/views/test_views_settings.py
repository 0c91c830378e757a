"""文件 → 设置…: the server address, the district's CA file, the automatic download limit and the print font are each
checked as they are typed, with a message saying what to fix; nothing is saved until all are valid; once saved the
running application uses them (the sync controller's client, the evidence download queue, printing)."""
from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtGui import QKeySequence

from fx_desktop.domain.roles import Role
from fx_desktop.printing import fonts
from fx_desktop.services import office_settings as office
from fx_desktop.store import meta
from fx_desktop.store.settings import CA_FILE, DOWNLOAD_AUTO_MAX_MB, PRINT_FONT
from fx_desktop.sync.account import Account
from fx_desktop.sync.credentials import MemoryCredentials, token_key
from fx_desktop.sync.downloads import MB, DownloadQueue
from fx_desktop.sync.transport import BureauClient
from fx_desktop.sync.worker import SyncController
from fx_desktop.tasks import TaskRunner
from fx_desktop.views.settings_dialog import SettingsDialog
from tests.support.chinese_ui import chinese_ui

OLD_URL, NEW_URL = "https://fx-bureau.old.example", "https://fx-bureau.fengxian.gov.cn"
CJK_FONTS = office.installed_cjk_fonts()


@pytest.fixture(autouse=True)
def chinese(qapp, monkeypatch):
    monkeypatch.delenv(fonts.ENV_VAR, raising=False)
    with chinese_ui(qapp):
        yield
    fonts.set_office_font(None)


def _cert(tmp_path: Path, name: str, *, days: tuple[int, int] = (-1, 3650), der: bool = False) -> Path:
    """A self-signed CA certificate valid from days[0] to days[1] days from now."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "奉贤区政务 CA")])
    now = dt.datetime.now(dt.timezone.utc)
    cert = (x509.CertificateBuilder().subject_name(subject).issuer_name(subject).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now + dt.timedelta(days=days[0]))
            .not_valid_after(now + dt.timedelta(days=days[1]))
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .sign(key, hashes.SHA256()))
    path = tmp_path / name
    path.write_bytes(cert.public_bytes(serialization.Encoding.DER if der else serialization.Encoding.PEM))
    return path


@pytest.fixture
def logged_in(store, tmp_path):
    """A controller attached to an account of OLD_URL (no refresh token yet in the client: it does not sync), its
    token in the credential store under the old address."""
    acc = Account(OLD_URL, "zhang", "张伟", Role.SQUAD_LEADER, "nanqiao", "client-1")
    with store.writes.begin() as session:
        meta.put(session, "sync.account", json.dumps(acc.to_json(), ensure_ascii=False))
    creds = MemoryCredentials()
    creds.set(token_key(OLD_URL, "zhang", "client-1"), "refresh-token-1")
    tasks = TaskRunner()
    controller = SyncController(store, tasks)
    client = BureauClient(OLD_URL)
    controller.attach(client, acc, creds)
    yield controller, client, creds, tasks
    controller.stop()
    tasks.wait()


@pytest.fixture
def settings(tmp_path):
    return QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat)


def _dialog(qtbot, store, settings, controller=None, tasks=None):
    d = SettingsDialog(store, settings, tasks or TaskRunner(), controller=controller)
    qtbot.addWidget(d)
    d.show()
    return d


def _shown_error(d, field) -> str:
    box = d.boxes[field]
    return box.error.text() if box.error.isVisible() else ""


@pytest.mark.parametrize("field, text, words", [
    ("server_url", "http://fx-bureau.fengxian.gov.cn", "须以 https:// 开头"),
    ("server_url", "fx-bureau.fengxian.gov.cn", "须以 https:// 开头"),
    ("server_url", "https://", "没有主机名"),
    ("server_url", "https://fx-bureau:70000", "端口"),
    ("ca_file", "/nowhere/ca.pem", "找不到文件"),
    ("download_mb", "abc", "不是整数"),
    ("download_mb", "-5", "0 到 2048"),
    ("download_mb", "5000", "0 到 2048"),
    ("print_font", "/nowhere/font.ttf", "找不到字体文件"),
])
def test_an_invalid_entry_is_named_and_nothing_is_saved(qtbot, store, settings, field, text, words):
    d = _dialog(qtbot, store, settings)
    assert d.ok.isEnabled() and not any(_shown_error(d, f) for f in d.boxes)  # the defaults are valid
    editor = {"server_url": d.server, "ca_file": d.ca_file, "download_mb": d.download_mb}.get(field)
    if editor is not None:
        editor.setText(text)
    else:
        d.font.setEditText(text)
    assert words in _shown_error(d, field)
    assert d.boxes[field].editor.property("invalid") is True  # the field is framed red
    assert not d.ok.isEnabled()
    d.accept()  # even if called: nothing saved, the dialog stays
    assert d.isVisible()
    assert settings.value(office.SERVER_KEY) is None
    assert CA_FILE.get(store) == "" and PRINT_FONT.get(store) == "" and DOWNLOAD_AUTO_MAX_MB.get(store) == 50


def test_the_http_exception_is_only_for_a_local_test_server(qtbot, store, settings):
    d = _dialog(qtbot, store, settings)
    for url in ("http://localhost:8750", "http://127.0.0.1:8750/"):
        d.server.setText(url)
        assert not _shown_error(d, "server_url") and d.ok.isEnabled()


def test_ca_files_that_are_not_pem_certificates_are_explained(qtbot, store, settings, tmp_path):
    d = _dialog(qtbot, store, settings)
    cases = {
        _cert(tmp_path, "ca.der", der=True): "DER",
        _cert(tmp_path, "old.pem", days=(-400, -30)): "过期",
        tmp_path: "是文件夹",
    }
    junk = tmp_path / "notes.txt"
    junk.write_text("请把证书发给我", encoding="utf-8")
    cases[junk] = "没有 PEM 格式的证书"
    broken = tmp_path / "broken.pem"
    broken.write_text("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n")
    cases[broken] = "无法解析"
    for path, words in cases.items():
        d.ca_file.setText(str(path))
        assert words in _shown_error(d, "ca_file"), path
        assert not d.ok.isEnabled()
    d.ca_file.setText(str(_cert(tmp_path, "good.pem")))
    assert not _shown_error(d, "ca_file") and d.ok.isEnabled()


def test_a_font_without_chinese_glyphs_is_refused(qtbot, store, settings):
    latin = next((p for p in Path("/usr/share/fonts").rglob("DejaVuSans.ttf")), None)
    if latin is None:
        pytest.skip("no DejaVu Sans here")
    d = _dialog(qtbot, store, settings)
    d.font.setEditText(str(latin))
    assert "没有中文字形" in _shown_error(d, "print_font") and not d.ok.isEnabled()


@pytest.mark.skipif(not CJK_FONTS, reason="no Chinese TrueType font installed")
def test_valid_settings_are_saved_and_used(qtbot, store, settings, tmp_path, logged_in):
    controller, client, creds, tasks = logged_in
    ca = _cert(tmp_path, "district-ca.pem")
    _label, font = CJK_FONTS[-1]
    d = _dialog(qtbot, store, settings, controller, tasks)
    assert d.server.text() == OLD_URL  # what is set now: the account's address
    assert d.font.itemData(d.font.findData(font)) == font  # the installed Chinese fonts are offered
    d.server.setText(NEW_URL + "/")
    d.ca_file.setText(str(ca))
    d.download_mb.setText("120")
    d.font.setCurrentIndex(d.font.findData(font))
    assert d.ok.isEnabled() and not any(_shown_error(d, f) for f in d.boxes)
    with qtbot.waitSignal(d.saved, timeout=5000) as saved:
        d.ok.click()
    assert saved.args[0].server_url == NEW_URL
    assert not d.isVisible()

    # stored where the code reads them
    assert settings.value(office.SERVER_KEY) == NEW_URL
    assert CA_FILE.get(store) == str(ca.resolve()) and PRINT_FONT.get(store) == font
    assert DOWNLOAD_AUTO_MAX_MB.get(store) == 120
    # the sync controller's transport and account use the new address and the district's CA
    assert client.base_url == NEW_URL and client.verify == str(ca.resolve())
    assert controller.account.server_url == NEW_URL
    from fx_desktop.sync import account
    assert account.current(store).server_url == NEW_URL
    assert creds.get(token_key(NEW_URL, "zhang", "client-1")) == "refresh-token-1"  # the login moved with it
    assert creds.get(token_key(OLD_URL, "zhang", "client-1")) is None
    assert office.verify_for(store) == str(ca.resolve())  # what every new BureauClient is given
    # the evidence downloads use the new limit, live and for a queue made later
    assert controller.downloads.limit_mb == 120
    assert DownloadQueue(store).limit_bytes == 120 * MB
    # printing uses the font
    assert fonts.load_fonts().body.path == str(Path(font).resolve())


def test_a_logged_in_account_keeps_an_address(qtbot, store, settings, logged_in):
    controller, client, _creds, tasks = logged_in
    d = _dialog(qtbot, store, settings, controller, tasks)
    d.server.clear()
    assert "退出登录" in _shown_error(d, "server_url") and not d.ok.isEnabled()
    d.accept()
    assert client.base_url == OLD_URL and settings.value(office.SERVER_KEY) is None


def test_clearing_the_ca_file_goes_back_to_the_system_certificates(qtbot, store, settings, tmp_path, logged_in):
    controller, client, _creds, tasks = logged_in
    CA_FILE.put(store, str(_cert(tmp_path, "ca.pem")))
    d = _dialog(qtbot, store, settings, controller, tasks)
    assert d.ca_file.text().endswith("ca.pem")
    d.ca_file.clear()
    with qtbot.waitSignal(d.saved, timeout=5000):
        d.ok.click()
    assert CA_FILE.get(store) == "" and client.verify is True and office.verify_for(store) is True
    assert client.base_url == OLD_URL  # the address was not changed


def test_the_file_menu_opens_settings_with_ctrl_comma(qtbot, store, profile, settings):
    from fx_desktop.store import reference
    from fx_desktop.views.main_window import MainWindow

    tasks = TaskRunner()
    with store.sessions() as session:
        ref = reference.current(session)
    window = MainWindow(store, profile, ref, tasks, settings)
    qtbot.addWidget(window)
    file_menu = window.menuBar().actions()[0].menu()
    assert window.settings_action in file_menu.actions()
    assert window.settings_action.shortcut() == QKeySequence("Ctrl+,")
    assert window.settings_action.text() == "设置…"
    window.settings_action.trigger()
    qtbot.waitUntil(lambda: window.settings_dialog.isVisible())
    assert window.settings_dialog.windowTitle() == "设置"
    window.settings_dialog.download_mb.setText("80")
    with qtbot.waitSignal(window.settings_dialog.saved, timeout=5000):
        window.settings_dialog.ok.click()
    assert window.sync_page.download_limit.value() == 80  # the sync page shows the same setting
    window.sync.stop()
    tasks.wait()


@pytest.fixture
def tls_server(tmp_path):
    """An HTTPS server on 127.0.0.1 answering /health, its certificate issued by a district CA: (url, CA file)."""
    import http.server
    import ipaddress
    import ssl
    import threading

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    now = dt.datetime.now(dt.timezone.utc)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Fengxian test CA")])
    ca = (x509.CertificateBuilder().subject_name(ca_name).issuer_name(ca_name).public_key(ca_key.public_key())
          .serial_number(x509.random_serial_number()).not_valid_before(now - dt.timedelta(days=1))
          .not_valid_after(now + dt.timedelta(days=30))
          .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
          .add_extension(x509.KeyUsage(digital_signature=True, content_commitment=False, key_encipherment=False,
                                       data_encipherment=False, key_agreement=False, key_cert_sign=True,
                                       crl_sign=True, encipher_only=False, decipher_only=False), critical=True)
          .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), critical=False)
          .sign(ca_key, hashes.SHA256()))
    key = ec.generate_private_key(ec.SECP256R1())
    cert = (x509.CertificateBuilder()
            .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")]))
            .issuer_name(ca_name).public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(days=1)).not_valid_after(now + dt.timedelta(days=30))
            .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
                           critical=False)
            .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False)
            .add_extension(x509.ExtendedKeyUsage([x509.oid.ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
            .sign(ca_key, hashes.SHA256()))
    ca_file, cert_file, key_file = tmp_path / "district-ca.pem", tmp_path / "server.pem", tmp_path / "server.key"
    ca_file.write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))

    class Health(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 - http.server's name
            body = b'{"status": "ok"}'
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *_args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Health)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert_file, key_file)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"https://127.0.0.1:{server.server_address[1]}", ca_file
    server.shutdown()
    server.server_close()


def test_the_sync_client_reaches_a_server_of_the_district_ca_once_it_is_set(qtbot, store, settings, logged_in,
                                                                           tls_server, monkeypatch):
    from fx_desktop.sync.transport import Unreachable

    monkeypatch.delenv("REQUESTS_CA_BUNDLE", raising=False)
    monkeypatch.delenv("CURL_CA_BUNDLE", raising=False)
    url, ca_file = tls_server
    controller, client, _creds, tasks = logged_in
    d = _dialog(qtbot, store, settings, controller, tasks)
    d.server.setText(url)
    with qtbot.waitSignal(d.saved, timeout=5000):
        d.ok.click()
    with pytest.raises(Unreachable, match="安全连接校验失败"):  # the system's certificates do not know the CA
        client.health()
    d = _dialog(qtbot, store, settings, controller, tasks)
    d.ca_file.setText(str(ca_file))
    with qtbot.waitSignal(d.saved, timeout=5000):
        d.ok.click()
    assert client.health() == {"status": "ok"}  # the running client, with the district's CA
    assert BureauClient(url, verify=office.verify_for(store)).health() == {"status": "ok"}  # and a new one
