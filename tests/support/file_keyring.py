"""TEST ONLY: a keyring backend that keeps secrets in a JSON file named by FX_TEST_KEYRING_FILE, so the headless
commands can be tested across processes on a machine without a desktop session. Selected through keyring's own
PYTHON_KEYRING_BACKEND variable. The real Secret Service is tested in tests/sync/test_sync_keyring.py."""
from __future__ import annotations

import json
import os
from pathlib import Path

from keyring.backend import KeyringBackend


class TestFileKeyring(KeyringBackend):
    priority = 1

    def _path(self) -> Path:
        return Path(os.environ["FX_TEST_KEYRING_FILE"])

    def _load(self) -> dict:
        path = self._path()
        return json.loads(path.read_text()) if path.exists() else {}

    def get_password(self, service, username):
        return self._load().get(f"{service}|{username}")

    def set_password(self, service, username, password):
        data = self._load()
        data[f"{service}|{username}"] = password
        self._path().write_text(json.dumps(data))

    def delete_password(self, service, username):
        data = self._load()
        data.pop(f"{service}|{username}", None)
        self._path().write_text(json.dumps(data))
