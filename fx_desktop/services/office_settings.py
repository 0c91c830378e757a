"""What an office sets once for its computers (views/settings_dialog.py): the bureau server's address, the district's
CA certificate, the evidence size above which files come down only when opened, and the print font. Each value is
checked here, with a message that says what to fix, before anything is saved; and each is kept where the code that
uses it reads it:

- the address: QSettings "sync/server_url" (the login dialog's default) and, when logged in, the account (the
  server moved: same accounts, same data, new address; the refresh token moves with it);
- the CA file: store.settings.CA_FILE, read by `verify_for()` wherever a BureauClient is made;
- the size: store.settings.DOWNLOAD_AUTO_MAX_MB (the sync page's 自动下载证据文件上限, the same setting);
- the font: store.settings.PRINT_FONT, handed to printing.fonts.set_office_font() at start and when saved.
"""
from __future__ import annotations

import ipaddress
import json
import os
import ssl
import struct
from dataclasses import dataclass, replace
from datetime import datetime, timezone
from pathlib import Path
from urllib.parse import urlsplit

from ..domain.errors import DomainError
from ..store import Store, meta
from ..store.settings import CA_FILE, DOWNLOAD_AUTO_MAX_MB, PRINT_FONT

SERVER_KEY = "sync/server_url"  # as views/login_dialog.py keeps it
LOCAL_HOSTS = frozenset({"localhost", "127.0.0.1", "::1"})
# Characters every form prints (titles, labels): a print font must have them all
CJK_SAMPLE = "奉贤区城管执法法制审核意见书案件移送函当事人罚款决定年月日号"


@dataclass(frozen=True)
class OfficeSettings:
    server_url: str
    ca_file: str
    download_mb: int
    print_font: str


# --- checks -------------------------------------------------------------------------------------------------------

def check_server_url(text: str, *, logged_in: bool = False) -> str:
    """The address without a trailing slash; "" (no server: work locally) is allowed unless logged in."""
    url = (text or "").strip()
    if not url:
        if logged_in:
            raise DomainError("已登录时服务器地址不能为空。要停止与区局同步，请在“同步”页退出登录。", "server_url")
        return ""
    if any(c.isspace() for c in url):
        raise DomainError("服务器地址中不能有空格。", "server_url")
    parts = urlsplit(url)
    if parts.scheme not in ("https", "http") or not url.lower().startswith(parts.scheme + "://"):
        raise DomainError("服务器地址须以 https:// 开头，例如 https://fx-bureau.fengxian.gov.cn 。", "server_url")
    host = (parts.hostname or "").lower()
    if not host:
        raise DomainError(f"服务器地址“{url}”中没有主机名，应写成 https://主机名[:端口] 。", "server_url")
    try:
        port = parts.port
    except ValueError:
        raise DomainError("服务器地址中的端口须为 1 到 65535 之间的数字。", "server_url") from None
    if port == 0:
        raise DomainError("服务器地址中的端口须为 1 到 65535 之间的数字。", "server_url")
    if parts.username or parts.password:
        raise DomainError("服务器地址中不要写用户名或密码：登录时在“同步”页输入。", "server_url")
    if parts.query or parts.fragment or url.endswith(("?", "#")):
        raise DomainError("服务器地址只写到主机名、端口和路径，不要带“?”或“#”及其后的内容。", "server_url")
    if not _valid_host(host):
        raise DomainError(f"“{host}”不是有效的主机名或 IP 地址。", "server_url")
    if parts.scheme == "http" and host not in LOCAL_HOSTS:
        raise DomainError("与区局服务器之间须加密传输：地址须以 https:// 开头。只有本机测试服务器"
                          "（localhost、127.0.0.1）可以用 http:// 。", "server_url")
    return url.rstrip("/")


def _valid_host(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
        return True
    except ValueError:
        pass
    labels = host.rstrip(".").split(".")
    return all(label and len(label) <= 63 and not label.startswith("-") and not label.endswith("-")
               and all(c.isalnum() or c == "-" for c in label) for label in labels)


def check_ca_file(text: str, *, now: datetime | None = None) -> str:
    """The path of a readable PEM file with at least one certificate that is still valid; "" (the system's
    certificates) is allowed."""
    path = (text or "").strip()
    if not path:
        return ""
    p = Path(path).expanduser()
    if not p.exists():
        raise DomainError(f"找不到文件“{path}”。请选择区局提供的 CA 证书文件（.pem 或 .crt）。", "ca_file")
    if p.is_dir():
        raise DomainError(f"“{path}”是文件夹，请选择其中的 CA 证书文件（.pem 或 .crt）。", "ca_file")
    try:
        data = p.read_bytes()
    except OSError as exc:
        raise DomainError(f"无法读取“{path}”：{exc.strerror or exc}。", "ca_file") from None
    if b"-----BEGIN CERTIFICATE-----" not in data:
        if data[:1] == b"\x30":
            raise DomainError("这是 DER（二进制）格式的证书。请向区局索取 PEM 格式（以 -----BEGIN CERTIFICATE----- "
                              "开头）的文件，或用 openssl x509 -inform der -in 原文件 -out ca.pem 转换。", "ca_file")
        raise DomainError(f"“{p.name}”中没有 PEM 格式的证书（应含 -----BEGIN CERTIFICATE----- 一行）。"
                          "请选择区局提供的 CA 证书文件。", "ca_file")
    try:
        from cryptography import x509
    except ImportError:  # pragma: no cover - not a dependency (keyring brings it on Linux): the ssl check alone
        x509 = None
    if x509 is not None:
        try:
            certs = x509.load_pem_x509_certificates(data)
        except ValueError as exc:
            raise DomainError(f"“{p.name}”中的证书已损坏，无法解析（{exc}）。请重新向区局索取证书文件。",
                              "ca_file") from None
        now = now or datetime.now(timezone.utc)
        valid = [c for c in certs if _utc(c, "not_valid_before") <= now <= _utc(c, "not_valid_after")]
        if not valid:
            last = max(_utc(c, "not_valid_after") for c in certs)
            raise DomainError(f"“{p.name}”中的证书已于 {last:%Y-%m-%d} 过期（或尚未生效），无法用来核验服务器。"
                              "请向区局索取新的 CA 证书。", "ca_file")
    try:
        ssl.create_default_context(cafile=str(p))
    except (ssl.SSLError, OSError) as exc:
        raise DomainError(f"“{p.name}”无法作为 CA 证书使用（{exc}）。", "ca_file") from None
    return str(p.resolve())


def _utc(cert, name: str) -> datetime:
    """A certificate's validity bound, aware (cryptography >= 42 has the _utc attributes; older ones naive UTC)."""
    value = getattr(cert, f"{name}_utc", None)
    return value if value is not None else getattr(cert, name).replace(tzinfo=timezone.utc)


def check_download_mb(text: str) -> int:
    low, high = DOWNLOAD_AUTO_MAX_MB.minimum, DOWNLOAD_AUTO_MAX_MB.maximum
    raw = (text or "").strip().upper().removesuffix("MB").strip()
    if not raw:
        raise DomainError(f"请填写自动下载的大小上限（{low} 到 {high} 之间的整数，单位 MB）。", "download_mb")
    try:
        value = int(raw)
    except ValueError:
        raise DomainError(f"“{text.strip()}”不是整数。请填写 {low} 到 {high} 之间的整数（单位 MB），"
                          "例如 50。", "download_mb") from None
    if not low <= value <= high:
        raise DomainError(f"大小上限须在 {low} 到 {high} MB 之间（0 表示证据文件都在打开时才下载）。",
                          "download_mb")
    return value


def check_print_font(text: str) -> str:
    """"" (choose automatically) or the path (path.ttc#n) of a TrueType font reportlab can embed that has the
    characters of the forms."""
    from ..printing import fonts

    value = (text or "").strip()
    if not value:
        return ""
    path, sub = _split_font(value)
    if not Path(path).is_file():
        raise DomainError(f"找不到字体文件“{path}”。请从列表中选择已安装的中文字体。", "print_font")
    problem = fonts._unusable(path, sub)
    if problem is not None:
        raise DomainError(f"字体“{Path(path).name}”不能用于打印：{problem}。请选择 TrueType 中文字体，"
                          "例如仿宋_GB2312、SimSun、AR PL UMing。", "print_font")
    try:
        face = fonts._register(str(Path(path).resolve()), sub)
    except Exception as exc:  # noqa: BLE001 - reportlab raises plain Exceptions for broken files
        raise DomainError(f"字体“{Path(path).name}”无法读取（{exc}）。", "print_font") from None
    missing = [c for c in CJK_SAMPLE if not face.covers(c)]
    if missing:
        raise DomainError(f"字体“{face.family or Path(path).name}”没有中文字形（缺少“{''.join(missing[:6])}”等字），"
                          "不能用于打印公文。请选择中文字体，例如仿宋_GB2312、SimSun、AR PL UMing。", "print_font")
    return value


def _split_font(value: str) -> tuple[str, int | str]:
    path, sep, sub = value.rpartition("#")
    if not sep or Path(value).is_file():
        return value, 0
    return path, int(sub) if sub.isdigit() else (sub or 0)


def installed_cjk_fonts(search_dirs=None) -> list[tuple[str, str]]:
    """(label, path) of the installed TrueType fonts whose OS/2 table says they have Chinese characters; read from
    the file headers only (a Windows font folder has hundreds of files)."""
    from ..printing import fonts

    found = []
    for top in search_dirs if search_dirs is not None else fonts.default_search_dirs():
        for root, subdirs, files in os.walk(top):
            subdirs.sort()
            for name in sorted(files):
                if name.lower().endswith((".ttf", ".ttc")):
                    path = os.path.join(root, name)
                    if fonts._unusable(path, 0) is None and _says_chinese(path):
                        found.append((Path(name).stem, path))
    return found


def _says_chinese(path: str) -> bool:
    """Whether the (first) font's OS/2 table claims CJK ideographs (Unicode range bit 59) or the GB 2312 code page."""
    try:
        with open(path, "rb") as f:
            head = f.read(12)
            start = 0
            if head[:4] == b"ttcf":
                f.seek(12)
                start = struct.unpack(">I", f.read(4))[0]
            f.seek(start + 4)
            tables = struct.unpack(">H", f.read(2))[0]
            f.seek(start + 12)
            directory = f.read(16 * tables)
            for i in range(tables):
                tag, _sum, offset, length = struct.unpack(">4sIII", directory[16 * i:16 * i + 16])
                if tag == b"OS/2":
                    f.seek(offset)
                    os2 = f.read(min(length, 86))
                    unicode2 = struct.unpack(">I", os2[46:50])[0] if len(os2) >= 50 else 0
                    codepage1 = struct.unpack(">I", os2[78:82])[0] if len(os2) >= 82 else 0
                    return bool(unicode2 & (1 << 27)) or bool(codepage1 & (1 << 18))
    except (OSError, struct.error):
        return False
    return False


# --- reading and saving -------------------------------------------------------------------------------------------

def current(store: Store, settings) -> OfficeSettings:
    """What is set now: the logged-in account's address, else the login dialog's last one."""
    from ..sync import account

    acc = account.current(store)
    url = acc.server_url if acc is not None else str(settings.value(SERVER_KEY, "") or "")
    return OfficeSettings(url, CA_FILE.get(store), DOWNLOAD_AUTO_MAX_MB.get(store), PRINT_FONT.get(store))


def verify_for(store: Store) -> bool | str:
    """What a BureauClient checks the server's certificate against: the district's CA file when one is set and
    still there, else the system's certificates."""
    path = CA_FILE.get(store)
    return path if path and Path(path).is_file() else True


def check_all(values: OfficeSettings, *, logged_in: bool = False) -> tuple[OfficeSettings, dict[str, str]]:
    """The values cleaned, and field -> message for each that is not valid."""
    errors: dict[str, str] = {}
    clean = {}
    for field, check in (("server_url", lambda v: check_server_url(v, logged_in=logged_in)), ("ca_file", check_ca_file),
                         ("download_mb", lambda v: check_download_mb(str(v))), ("print_font", check_print_font)):
        try:
            clean[field] = check(getattr(values, field))
        except DomainError as exc:
            errors[field] = exc.message
    if errors:
        return values, errors
    return OfficeSettings(**clean), {}


def save(store: Store, values: OfficeSettings, *, creds=None) -> None:
    """Store checked values (database writes: off the GUI thread). A logged-in account whose server moved keeps
    its login: the account and its refresh token follow the new address."""
    from ..sync import account
    from ..sync.credentials import token_key

    with store.writes.begin() as session:
        CA_FILE.write(session, values.ca_file)
        PRINT_FONT.write(session, values.print_font)
        DOWNLOAD_AUTO_MAX_MB.write(session, values.download_mb)
    acc = account.current(store)
    if acc is None or not values.server_url or acc.server_url.rstrip("/") == values.server_url:
        return
    with store.writes.begin() as session:
        for key in ("sync.account", f"sync.verifier:{acc.username}"):
            raw = meta.get(session, key)
            if raw:
                meta.put(session, key, json.dumps({**json.loads(raw), "server_url": values.server_url},
                                                  ensure_ascii=False))
    if creds is not None:
        old, new = (token_key(u, acc.username, acc.client_id) for u in (acc.server_url, values.server_url))
        token = creds.get(old)
        if token:
            creds.set(new, token)
            creds.delete(old)


def apply(store: Store, values: OfficeSettings, settings, controller=None) -> None:
    """On the GUI thread, once saved: the running application uses the new values from now on."""
    from ..printing import fonts

    settings.setValue(SERVER_KEY, values.server_url)
    fonts.set_office_font(values.print_font)
    if controller is None:
        return
    client = controller.client
    if client is not None:
        client.verify = verify_for(store)
        if values.server_url and controller.account is not None:
            client.base_url = values.server_url
    if controller.account is not None and values.server_url \
            and controller.account.server_url.rstrip("/") != values.server_url:
        controller.account = replace(controller.account, server_url=values.server_url)
        controller.stored = controller.account.to_json()
        controller.accountChanged.emit(controller.account)
    downloads = controller.downloads
    downloads.queue.limit_bytes = values.download_mb * (1024 * 1024)
    downloads.limit_changed()
