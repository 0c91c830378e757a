"""Logging out ends that device's access at once: every access token issued under the revoked refresh token is
refused with the very next request, over raw HTTP and through the headless commands; the user's other devices
keep working and logging in again on the same device works."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import uuid
from pathlib import Path

import requests

from tests.support.bureau import PASSWORD

ROOT = Path(__file__).resolve().parents[2]


def _login(bureau, client_id: str, username: str = "zhang") -> dict:
    answer = requests.post(bureau.url + "/auth/login", json={"username": username, "password": PASSWORD,
                                                             "client_id": client_id, "device_name": "test"},
                           timeout=30)
    assert answer.status_code == 200, answer.text
    return answer.json()


def _me(bureau, access: str) -> requests.Response:
    return requests.get(bureau.url + "/me", headers={"Authorization": f"Bearer {access}"}, timeout=30)


def _logout(bureau, refresh: str) -> None:
    assert requests.post(bureau.url + "/auth/logout", json={"refresh_token": refresh}, timeout=30).ok


def test_logout_refuses_the_devices_access_tokens_at_once_over_http(bureau):
    here, there = str(uuid.uuid4()), str(uuid.uuid4())
    first = _login(bureau, here)
    assert first["client_id"] == here
    refreshed = requests.post(bureau.url + "/auth/refresh", json={"refresh_token": first["refresh_token"]},
                              timeout=30).json()
    assert refreshed["client_id"] == here  # the answer names the device the tokens are bound to
    other = _login(bureau, there)  # the same user on a second device
    for access in (first["access_token"], refreshed["access_token"], other["access_token"]):
        assert _me(bureau, access).status_code == 200
    _logout(bureau, first["refresh_token"])
    for access in (first["access_token"], refreshed["access_token"]):  # both were issued under that login
        answer = _me(bureau, access)
        assert answer.status_code == 401
        assert answer.json()["code"] == "logged_out" and "退出登录" in answer.json()["message"]
    pull = requests.get(bureau.url + "/sync/pull", headers={"Authorization": f"Bearer {first['access_token']}"},
                        timeout=30)
    assert pull.status_code == 401 and pull.json()["code"] == "logged_out"
    assert _me(bureau, other["access_token"]).json()["client_id"] == there  # the other device is untouched
    again = _login(bureau, here)  # logging in again on this device works
    assert _me(bureau, again["access_token"]).json()["client_id"] == here
    assert _me(bureau, first["access_token"]).status_code == 401  # and does not revive the old login's tokens
    stale = requests.post(bureau.url + "/auth/refresh", json={"refresh_token": first["refresh_token"]}, timeout=30)
    assert stale.status_code == 401 and stale.json()["code"] == "refresh_invalid"


def _cli(*args: str, env: dict, stdin: str = "") -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "fx_desktop", *args], input=stdin, capture_output=True,
                          text=True, timeout=120, cwd=ROOT, env=env)


def test_fx_desktop_logout_ends_the_access_of_its_login_at_once(bureau, tmp_path):
    keyring_file = tmp_path / "keyring.json"
    env = {**os.environ, "PYTHONPATH": str(ROOT), "FX_TEST_KEYRING_FILE": str(keyring_file),
           "PYTHON_KEYRING_BACKEND": "tests.support.file_keyring.TestFileKeyring"}
    data = str(tmp_path / "data")
    done = _cli("login", "--data-dir", data, "--server", bureau.url, "--username", "zhang", env=env,
                stdin=PASSWORD + "\n")
    assert done.returncode == 0, done.stderr
    (refresh,) = json.loads(keyring_file.read_text()).values()
    access = requests.post(bureau.url + "/auth/refresh", json={"refresh_token": refresh},
                           timeout=30).json()["access_token"]
    assert _me(bureau, access).status_code == 200
    done = _cli("logout", "--data-dir", data, env=env)
    assert done.returncode == 0, done.stderr
    answer = _me(bureau, access)
    assert answer.status_code == 401 and answer.json()["code"] == "logged_out"
    assert json.loads(keyring_file.read_text()) == {}


def test_an_access_token_from_before_the_upgrade_is_refused_after_logout_too(bureau):
    """Tokens issued by the previous version do not name their refresh token: the device's logout still ends them
    (no live refresh token of that client is left)."""
    from fx_bureau import tokens

    here = str(uuid.uuid4())
    first = _login(bureau, here)
    (secret,) = bureau.sql("SELECT value FROM meta WHERE key = 'token_secret'")[0]
    (user_id,) = bureau.sql("SELECT id FROM users WHERE username = 'zhang'")[0]
    old_style = tokens.issue_access(bytes.fromhex(secret), user_id, here, 600)
    assert _me(bureau, old_style).status_code == 200
    _logout(bureau, first["refresh_token"])
    answer = _me(bureau, old_style)
    assert answer.status_code == 401 and answer.json()["code"] == "logged_out"
