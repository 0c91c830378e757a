"""The refresh token in a real Secret Service keyring: gnome-keyring started under dbus-run-session, the
headless commands logging in and syncing through it, and the password never stored."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.bureau import PASSWORD

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.skipif(not (shutil.which("dbus-run-session") and shutil.which("gnome-keyring-daemon")),
                                reason="needs gnome-keyring and dbus (scripts/install-system-packages.sh)")

SCRIPT = """
set -e
eval "$(printf 'unlock-pass' | gnome-keyring-daemon --unlock --components=secrets)"
export GNOME_KEYRING_CONTROL
PY="{python}"
echo "{password}" | $PY -m fx_desktop login --data-dir "$DATA" --server "$SERVER" --username zhang
$PY - <<'PYEOF'
import keyring, sys
from fx_desktop.sync.credentials import system_store, token_key
import os
store = system_store()
print("backend", type(keyring.get_keyring()).__module__)
from fx_desktop.paths import DataPaths
from fx_desktop.store import open_store
from fx_desktop.sync import account
db = open_store(DataPaths.at(os.environ["DATA"]))
client_id = account.current(db).client_id
db.close()
open(os.environ["DATA"] + "/client-id.txt", "w").write(client_id)
token = store.get(token_key(os.environ["SERVER"], "zhang", client_id))
print("token", "yes" if token else "no")
PYEOF
$PY -m fx_desktop sync --data-dir "$DATA"
$PY -m fx_desktop logout --data-dir "$DATA"
$PY - <<'PYEOF'
import os
from fx_desktop.sync.credentials import system_store, token_key
client_id = open(os.environ["DATA"] + "/client-id.txt").read()
print("after-logout", system_store().get(token_key(os.environ["SERVER"], "zhang", client_id)))
PYEOF
"""


def test_refresh_token_lives_in_the_secret_service_keyring(bureau, tmp_path):
    if bureau.backend != "sqlite":
        pytest.skip("the keyring does not depend on the server's database")
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHON_KEYRING_BACKEND", "DBUS_SESSION_BUS_ADDRESS")}
    env.update(PYTHONPATH=str(ROOT), DATA=str(tmp_path / "data"), SERVER=bureau.url, HOME=str(tmp_path),
               XDG_DATA_HOME=str(tmp_path / "xdg"))
    script = SCRIPT.format(python=sys.executable, password=PASSWORD)
    done = subprocess.run(["dbus-run-session", "--", "bash", "-c", script], capture_output=True, text=True,
                          timeout=180, env=env, cwd=ROOT)
    out = done.stdout
    assert done.returncode == 0, done.stdout + done.stderr
    assert "backend keyring.backends.SecretService" in out
    assert "token yes" in out
    assert "同步完成" in out
    assert "after-logout None" in out
    keyrings = list((tmp_path / "xdg").rglob("*.keyring"))
    assert keyrings, "gnome-keyring kept no keyring file"
    for f in keyrings:  # encrypted at rest: neither the password nor anything readable as a token
        assert PASSWORD.encode() not in f.read_bytes()
