"""Stored JSON is compact UTF-8 (fx_desktop.domain.json_text): the outbox stores a mutation's arguments so and the
push sends them verbatim; fx-bureau stores the case's JSON columns so and its pull page carries them verbatim, the
Chinese text as UTF-8 characters, not \\u escapes. Rows stored escaped by an earlier version still pull."""
from __future__ import annotations

import json

import requests
from sqlalchemy import create_engine, update

from fx_bureau.db import normalise_url
from fx_bureau.models import Case as ServerCase
from fx_desktop.services import cases
from tests.conftest import case_draft
from tests.support.bureau import login_headers

PARTY, FACTS = "欧阳振华", "当事人在南奉公路旁擅自堆放建筑垃圾，经劝阻仍未清理。"


def _pull_raw(bureau, headers: dict) -> requests.Response:
    answer = requests.get(bureau.url + "/sync/pull", params={"limit": 1000}, headers=headers, timeout=30)
    assert answer.status_code == 200, answer.text
    return answer


def _server_text(bureau, case_id: str) -> str:
    return bureau.sql("SELECT CAST(fields AS TEXT) FROM cases WHERE id = :c", {"c": case_id})[0][0]


def test_chinese_text_is_stored_pushed_and_pulled_as_utf8(bureau, device):
    a, b = device(bureau, "zhang"), device(bureau, "li")
    made = cases.create_case(a.store, a.profile, case_draft(party_name=PARTY, facts=FACTS))
    with a.store.engine.connect() as conn:
        args = conn.exec_driver_sql("SELECT args FROM outbox WHERE name = 'create_case'").scalar_one()
    assert PARTY in args and FACTS in args and "\\u" not in args and '": ' not in args  # compact, as pushed
    assert a.sync().ok

    stored = _server_text(bureau, made.id)
    assert PARTY in stored and "\\u" not in stored and '", "' not in stored
    headers, _client = login_headers(bureau, "li")
    answer = _pull_raw(bureau, headers)
    assert answer.headers["Content-Type"].replace(" ", "").lower() == "application/json;charset=utf-8"
    assert PARTY.encode("utf-8") in answer.content and FACTS.encode("utf-8") in answer.content
    assert b"\\u" not in answer.content
    pulled = next(c for c in answer.json()["changes"] if c.get("id") == made.id)
    assert (pulled["fields"]["party_name"], pulled["fields"]["facts"]) == (PARTY, FACTS)

    assert b.sync().ok  # and the client applies it: the round trip
    values = cases.get_case(b.store, made.id).values
    assert (values["party_name"], values["facts"]) == (PARTY, FACTS)


def test_a_row_stored_escaped_by_an_earlier_version_still_pulls(bureau, device):
    a = device(bureau, "zhang")
    made = cases.create_case(a.store, a.profile, case_draft(party_name="李建国"))
    assert a.sync().ok
    fields = {**json.loads(_server_text(bureau, made.id)), "party_name": PARTY}
    old = create_engine(normalise_url(bureau.db_url), json_serializer=json.dumps)  # the earlier version's writer
    try:
        with old.begin() as conn:
            conn.execute(update(ServerCase).where(ServerCase.id == made.id).values(fields=fields))
    finally:
        old.dispose()
    assert "\\u" in _server_text(bureau, made.id)

    headers, _client = login_headers(bureau, "li")
    answer = _pull_raw(bureau, headers)
    assert json.dumps(PARTY).encode() in answer.content  # sent as stored
    pulled = next(c for c in answer.json()["changes"] if c.get("id") == made.id)
    assert pulled["fields"]["party_name"] == PARTY
    b = device(bureau, "li")
    assert b.sync().ok
    assert cases.get_case(b.store, made.id).values["party_name"] == PARTY
