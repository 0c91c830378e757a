"""Two clients of one town and one of another, each its own data directory driven only through the headless
commands (login, sync, status) against one fx-bureau; user actions come from a separate process per edit."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.support.bureau import PASSWORD

ROOT = Path(__file__).resolve().parents[2]


def test_three_clients_through_the_headless_commands(bureau, tmp_path):
    env = {**os.environ, "PYTHONPATH": str(ROOT),
           "PYTHON_KEYRING_BACKEND": "tests.support.file_keyring.TestFileKeyring",
           "FX_TEST_KEYRING_FILE": str(tmp_path / "keyring.json")}

    def run(*args, stdin=""):
        return subprocess.run([sys.executable, *args], input=stdin, capture_output=True, text=True, timeout=120,
                              cwd=ROOT, env=env)

    def cli(data, *args, stdin=""):
        return run("-m", "fx_desktop", *args, "--data-dir", str(data), stdin=stdin)

    def edit(data, *args):
        done = run("-m", "tests.support.edit", str(data), *args)
        assert done.returncode == 0, done.stderr
        return done.stdout.strip()

    a1, a2, b = tmp_path / "a1", tmp_path / "a2", tmp_path / "b"
    for data, user in ((a1, "zhang"), (a2, "li"), (b, "wang")):
        done = cli(data, "login", "--server", bureau.url, "--username", user, stdin=PASSWORD + "\n")
        assert done.returncode == 0, done.stderr
    case_id = edit(a1, "create", "三端测试")
    first = cli(a1, "sync")
    assert first.returncode == 0 and "推送 1 条" in first.stdout  # exit 0: everything exchanged
    again = cli(a1, "sync")
    assert again.returncode == 0 and "推送 0 条" in again.stdout
    assert cli(a2, "sync").returncode == 0
    edit(a1, "update", case_id, "place", "甲改")
    edit(a2, "update", case_id, "place", "乙改")  # the same field from the same base
    edit(a2, "update", case_id, "facts", "乙补充的事实")  # and a field only a2 changed
    assert cli(a1, "sync").returncode == 0
    assert cli(a2, "sync").returncode == 0
    assert cli(a1, "sync").returncode == 0
    for data in (a1, a2):
        status = cli(data, "status")
        assert "未解决冲突：1" in status.stdout and "待推送变更：0" in status.stdout
    fields = bureau.sql("SELECT fields FROM cases WHERE id = :i", {"i": case_id})[0][0]
    import json

    fields = fields if isinstance(fields, dict) else json.loads(fields)
    assert (fields["place"], fields["facts"]) == ("甲改", "乙补充的事实")  # merged, the clash kept aside
    assert bureau.sql("SELECT count(*) FROM conflicts WHERE case_id = :i", {"i": case_id})[0][0] == 1
    other = cli(b, "sync")
    assert other.returncode == 0
    from fx_desktop.paths import DataPaths
    from fx_desktop.store import open_store
    from fx_desktop.store.models import Case

    store = open_store(DataPaths.at(b))
    try:
        with store.sessions() as s:
            assert s.query(Case).filter_by(id=case_id).count() == 0  # town B never receives town A's case
    finally:
        store.close()
