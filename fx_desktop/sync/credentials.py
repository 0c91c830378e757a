"""Where the refresh token lives: the OS keyring (Windows Credential Manager, macOS Keychain, Secret Service),
behind a small interface. A machine with no usable backend is reported (NoSecureStorage) so the caller can ask
the user; secrets are never written to a plain file. The password itself is never stored anywhere."""
from __future__ import annotations

import threading
from typing import Protocol

SERVICE = "fx-desktop"


class NoSecureStorage(Exception):
    message = ("本机没有可用的系统密钥环（如 Windows 凭据管理器或 GNOME Keyring），无法安全保存登录凭据。"
               "可选择仅在本次运行中保持登录，退出后需重新输入密码。")


class CredentialStore(Protocol):
    kind: str

    def get(self, key: str) -> str | None: ...
    def set(self, key: str, value: str) -> None: ...
    def delete(self, key: str) -> None: ...


class MemoryCredentials:
    """Kept for this run only: the user's explicit choice on a machine without a keyring, and the tests' store."""

    kind = "memory"

    def __init__(self) -> None:
        self._values: dict[str, str] = {}
        self._lock = threading.Lock()

    def get(self, key: str) -> str | None:
        with self._lock:
            return self._values.get(key)

    def set(self, key: str, value: str) -> None:
        with self._lock:
            self._values[key] = value

    def delete(self, key: str) -> None:
        with self._lock:
            self._values.pop(key, None)


class KeyringCredentials:
    kind = "keyring"

    def __init__(self, backend=None) -> None:
        self._backend = backend
        self._lock = threading.Lock()

    def _ring(self):
        import keyring

        return self._backend or keyring.get_keyring()

    def get(self, key: str) -> str | None:
        from keyring.errors import KeyringError

        with self._lock:
            try:
                return self._ring().get_password(SERVICE, key)
            except KeyringError as exc:
                raise NoSecureStorage(str(exc)) from exc

    def set(self, key: str, value: str) -> None:
        from keyring.errors import KeyringError

        with self._lock:
            try:
                self._ring().set_password(SERVICE, key, value)
            except KeyringError as exc:
                raise NoSecureStorage(str(exc)) from exc

    def delete(self, key: str) -> None:
        from keyring.errors import KeyringError, PasswordDeleteError

        with self._lock:
            try:
                self._ring().delete_password(SERVICE, key)
            except PasswordDeleteError:
                pass
            except KeyringError as exc:
                raise NoSecureStorage(str(exc)) from exc


def system_store() -> KeyringCredentials:
    """The OS keyring; raises NoSecureStorage when there is none or only a plain-text one."""
    import keyring
    from keyring.backends import fail

    ring = keyring.get_keyring()
    backends = getattr(ring, "backends", [ring])
    usable = [b for b in backends if not isinstance(b, fail.Keyring) and "plaintext" not in type(b).__name__.lower()
              and "null" not in type(b).__module__.lower()]
    if not usable:
        raise NoSecureStorage()
    return KeyringCredentials(ring)


def token_key(server_url: str, username: str, client_id: str) -> str:
    """Where one data folder keeps its refresh token. Per client id (data folder), not per user: one user with two
    data folders on one keyring (two computers sharing a roaming keyring, a reinstall beside the old folder) must
    not overwrite the first folder's token with the second's."""
    return f"refresh:{server_url.rstrip('/')}|{username}|{client_id}"


def legacy_token_key(server_url: str, username: str) -> str:
    """The key of versions before the per-folder key: read once by `account.restore_tokens`, which moves it to
    `token_key` only after the server confirmed the token is this folder's."""
    return f"refresh:{server_url.rstrip('/')}|{username}"
