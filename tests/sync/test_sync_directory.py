"""The directory of the organisations' people (fx_bureau.directory, issue 14) travels as reference data: one
Reference row with key "directory" that `fx-bureau init` builds and every user change rebuilds with a new sequence
number; a client's pull brings it into its store (store.reference.directory). It names each active user's
organisation, name and role, never a username or a password. Clients of the previous version, which apply every
reference row as the reference document, leave it alone. On SQLite and PostgreSQL (the `fresh_bureau` fixture)."""
from __future__ import annotations

import json
from datetime import datetime

import pytest

from fx_bureau.process import run_cli
from fx_desktop.store import reference
from fx_desktop.store.models import Town
from fx_desktop.sync.apply import apply_page
from tests.support.bureau import PASSWORD, Bureau
from tests.sync.conftest import BACKENDS, Device


def _row(bureau) -> tuple[int, dict]:
    found = bureau.sql("SELECT seq, data FROM reference WHERE key = 'directory'")
    assert len(found) == 1
    seq, data = found[0]
    return seq, (json.loads(data) if isinstance(data, str) else data)


def _people(device) -> set[tuple]:
    with device.store.sessions() as session:
        return {(p["org"], p["name"], p["role"]) for p in reference.directory(session)}


@pytest.mark.parametrize("backend", BACKENDS)
def test_init_builds_an_empty_directory_and_a_second_init_keeps_it(backend, tmp_path):
    bureau = Bureau(backend, tmp_path / "bureau").init()
    try:
        seq, data = _row(bureau)
        assert data == {"version": 0, "people": []}
        assert run_cli("init", "--db", bureau.db_url).returncode == 0
        assert _row(bureau) == (seq, data)  # nothing changed: the same row, no new sequence number
    finally:
        bureau.close()


def test_user_changes_rebuild_the_directory_and_a_pull_brings_it(fresh_bureau, tmp_path):
    bureau = fresh_bureau.start()
    seq, data = _row(bureau)
    assert {"org": "nanqiao", "name": "张伟", "role": "squad_leader"} in data["people"]
    assert all(set(p) == {"org", "name", "role"} for p in data["people"])
    hashes = [h for (h,) in bureau.sql("SELECT password_hash FROM users")]
    text = json.dumps(data, ensure_ascii=False)
    for username in ("zhang", "li", "reviewer", "wang", "diao"):
        assert f'"{username}"' not in text
    assert not any(h in text for h in hashes) and PASSWORD not in text

    device = Device(tmp_path / "zhang", bureau.url, "zhang")
    try:
        device.sync()
        assert ("nanqiao", "张伟", "squad_leader") in _people(device)
        assert ("fengcheng", "王强", "squad_leader") in _people(device)  # another town's user too
        assert not any(name == "高峰" for _org, name, _role in _people(device))

        bureau.add_user("gaofeng", "department_liaison", "ghzy", "高峰")  # `fx-bureau create-user`
        after, data = _row(bureau)
        assert after > seq and {"org": "ghzy", "name": "高峰", "role": "department_liaison"} in data["people"]
        device.sync()
        assert ("ghzy", "高峰", "department_liaison") in _people(device)

        done = run_cli("set-user", "--db", bureau.db_url, "--username", "gaofeng", "--reset-password",
                       stdin="another-pass-2\n")
        assert done.returncode == 0, done.stderr
        assert _row(bureau)[0] == after  # a new password changes nothing the directory says: no new row

        done = run_cli("set-user", "--db", bureau.db_url, "--username", "gaofeng", "--disable")
        assert done.returncode == 0, done.stderr
        disabled, data = _row(bureau)
        assert disabled > after and all(p["name"] != "高峰" for p in data["people"])
        done = run_cli("set-user", "--db", bureau.db_url, "--username", "li", "--role", "none")
        assert done.returncode == 0, done.stderr
        device.sync()
        people = _people(device)
        assert not any(name in ("高峰", "李娜") for _org, name, _role in people)
        assert ("nanqiao", "张伟", "squad_leader") in people
    finally:
        device.close()


def _apply(store, changes: list[dict]):
    with store.writes.begin() as session:
        return apply_page(session, changes, "c1", cursor_key="test_cursor", actor="zhang", now=datetime.now())


def test_a_client_keeps_the_directory_and_skips_reference_keys_it_does_not_know(store):
    directory = {"type": "reference", "seq": 7, "key": "directory", "version": 3,
                 "data": {"version": 0, "people": [{"org": "ghzy", "name": "高峰", "role": "department_liaison"}]}}
    unknown = {"type": "reference", "seq": 8, "key": "something_newer", "version": 1, "data": {"x": 1}}
    with store.sessions() as session:
        before = reference.current(session)["version"]
    result = _apply(store, [directory, unknown])
    assert not result.reference_updated
    with store.sessions() as session:
        assert reference.directory(session) == [{"org": "ghzy", "name": "高峰", "role": "department_liaison"}]
        assert reference.current(session)["version"] == before


def test_a_client_of_the_previous_version_leaves_the_directory_alone(store):
    """The previous applier gave every reference row's data to reference.load: the directory's "version" 0 is
    never newer than the document it holds, so nothing changes and nothing fails."""
    data = {"version": 0, "people": [{"org": "ghzy", "name": "高峰", "role": "department_liaison"}]}
    with store.writes.begin() as session:
        before = reference.current(session)
        towns = session.query(Town).count()
        assert reference.load(session, data) is False
    with store.sessions() as session:
        assert reference.current(session) == before and session.query(Town).count() == towns
        assert reference.directory(session) == []
