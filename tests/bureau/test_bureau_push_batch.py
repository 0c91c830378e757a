"""The push's fast path writes what a request's handlers changed in one flush at its end: a row the database
refuses then fails that flush, not the handler that made it. The request is redone with a savepoint per mutation,
where only the mutation at fault is rejected (SQLite and PostgreSQL, in process)."""
from __future__ import annotations

import uuid
from datetime import date, datetime

import pytest
from sqlalchemy import select

from fx_bureau import push as push_mod
from fx_bureau.db import make_engine, make_sessions
from fx_bureau.models import Case, Client, MutationLog, User
from fx_bureau.mutations import MUTATIONS, MutationSpec, Outcome
from fx_bureau.principal import Principal
from fx_desktop.domain.case_draft import clean_to_json, validate
from fx_desktop.domain.roles import Role
from tests.conftest import case_draft
from tests.support.bureau import pg_available, standard


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.skipif(
    not pg_available(), reason="PostgreSQL is not running here"))])
def server_db(request, tmp_path):
    bureau = standard(request.param, tmp_path / "bureau")
    engine = make_engine(bureau.db_url)
    yield make_sessions(engine)[1]
    engine.dispose()
    bureau.close()


def _principal(writes, username: str = "zhang") -> Principal:
    with writes() as s, s.begin():
        user = s.execute(select(User).where(User.username == username)).scalar_one()
        client_id = str(uuid.uuid4())
        s.add(Client(id=client_id, user_id=user.id, device_name="t", last_mutation_id=0, created_at=datetime.now()))
        return Principal(user.id, user.username, user.name, Role(user.role), user.org_code, "town", client_id)


def _create(mid: int) -> dict:
    values, officers = clean_to_json(validate(case_draft()))
    return {"id": mid, "name": "create_case", "args": {"case_id": str(uuid.uuid4()), "town_code": "nanqiao",
                                                       "fields": values, "officers": officers}}


def _with_same_number(taken: str, poison_id: str) -> dict:
    """The mutations plus `same_number`, which adds (without flushing) a case under a number another case holds:
    only the flush can tell."""
    def same_number(session, principal, args, ctx):
        session.add(Case(id=poison_id, number=taken, town_code="nanqiao", status="clue", version=1, seq=1,
                         review_passed=False, opened_on=date.today(), created_by="x", created_at=ctx.at,
                         updated_at=ctx.at, fields={}, officers=[], evidence=[]))
        return Outcome("applied", poison_id)

    return {**MUTATIONS, "same_number": MutationSpec(MUTATIONS["delete_case"].schema, same_number)}


def test_a_row_the_database_refuses_at_the_final_flush_rejects_only_its_mutation(server_db):
    writes = server_db
    p = _principal(writes)
    _p, first = push_mod.push_request(writes, lambda _s: p, p.client_id, [_create(1)])
    taken = first["results"][0]["detail"]["number"]
    poison_id = str(uuid.uuid4())
    registry = _with_same_number(taken, poison_id)
    created, after = _create(2), _create(5)
    case_id = created["args"]["case_id"]
    place = created["args"]["fields"]["place"]
    update = {"id": 4, "name": "update_case", "args": {"case_id": case_id, "changed_fields": {"place": "改后地址"},
                                                       "base": {"place": place}}}
    _p, answer = push_mod.push_request(writes, lambda _s: p, p.client_id, [
        created, {"id": 3, "name": "same_number", "args": {"case_id": poison_id}}, update, after],
        registry=registry)
    assert [r["result"] for r in answer["results"]] == ["applied", "rejected", "applied", "applied"]
    assert "数据与服务器上已有记录冲突" in answer["results"][1]["reason"]
    assert answer["last_mutation_id"] == 5
    with writes() as s:
        assert s.get(Case, poison_id) is None
        assert s.get(Case, case_id).fields["place"] == "改后地址" and s.get(Case, case_id).version == 2
        assert s.get(Case, after["args"]["case_id"]) is not None
        logged = s.execute(select(MutationLog.mutation_id, MutationLog.result).where(
            MutationLog.client_id == p.client_id).order_by(MutationLog.mutation_id)).all()
        assert [tuple(row) for row in logged] == [(1, "applied"), (2, "applied"), (3, "rejected"), (4, "applied"),
                                                  (5, "applied")]
        assert s.get(Client, p.client_id).last_mutation_id == 5


def test_a_rejection_after_a_refused_row_does_not_turn_the_request_into_a_server_error(server_db):
    """A rejected mutation moves the records it names forward (resend), which reads them: that read flushes what
    the mutations before it left pending. A row the database refuses must then still reject only its mutation,
    never fail the whole request (a 503 the client would retry for ever)."""
    writes = server_db
    p = _principal(writes)
    _p, first = push_mod.push_request(writes, lambda _s: p, p.client_id, [_create(1)])
    taken = first["results"][0]["detail"]["number"]
    poison_id, unknown = str(uuid.uuid4()), str(uuid.uuid4())
    registry = _with_same_number(taken, poison_id)
    after = _create(4)
    _p, answer = push_mod.push_request(writes, lambda _s: p, p.client_id, [
        {"id": 2, "name": "same_number", "args": {"case_id": poison_id}},
        {"id": 3, "name": "update_case", "args": {"case_id": unknown, "changed_fields": {"place": "某地"}}},
        after], registry=registry)
    assert [r["result"] for r in answer["results"]] == ["rejected", "rejected", "applied"]
    assert "数据与服务器上已有记录冲突" in answer["results"][0]["reason"]
    assert "服务器上没有该案件" in answer["results"][1]["reason"]
    with writes() as s:
        assert s.get(Case, poison_id) is None and s.get(Case, after["args"]["case_id"]) is not None
        assert s.get(Client, p.client_id).last_mutation_id == 4


def test_several_cases_updated_in_one_request_are_each_written_once(server_db):
    """The fast path's final flush updates the cases of a request together (on PostgreSQL a few rows go one
    statement each, their row counts added up for the ORM's check: fx_bureau.db)."""
    writes = server_db
    p = _principal(writes)
    created = [_create(mid) for mid in range(1, 4)]
    _p, first = push_mod.push_request(writes, lambda _s: p, p.client_id, created)
    assert [r["result"] for r in first["results"]] == ["applied"] * 3
    ids = [m["args"]["case_id"] for m in created]
    updates = [{"id": 4 + k, "name": "update_case", "args": {
        "case_id": case_id, "changed_fields": {"place": f"新地址{k}"},
        "base": {"place": created[k]["args"]["fields"]["place"]}}} for k, case_id in enumerate(ids)]
    _p, answer = push_mod.push_request(writes, lambda _s: p, p.client_id, updates)
    assert [r["result"] for r in answer["results"]] == ["applied"] * 3 and answer["last_mutation_id"] == 6
    with writes() as s:
        cases = [s.get(Case, case_id) for case_id in ids]
        assert [(c.fields["place"], c.version) for c in cases] == [(f"新地址{k}", 2) for k in range(3)]
        assert len({c.seq for c in cases}) == 3 and min(c.seq for c in cases) > 0
        assert s.get(Client, p.client_id).last_mutation_id == 6
    with writes() as s, s.begin():  # one flush of three updates of the same shape: the ORM checks the row count
        for case in s.execute(select(Case).where(Case.id.in_(ids))).scalars():
            case.status = "filed"
    with writes() as s:
        assert [s.get(Case, case_id).status for case_id in ids] == ["filed"] * 3


def test_a_small_executemany_adds_up_the_row_counts_of_its_statements():
    from fx_bureau.db import SMALL_BATCH, _few_at_a_time

    class Cursor:
        def __init__(self):
            self.executed, self.rowcount = [], -1

        def execute(self, statement, params):
            self.executed.append(params)
            self.rowcount = 1 if params["hit"] else 0

    class Context:
        _rowcount = None

    batch = []
    do = _few_at_a_time(lambda *args: batch.append(args))
    cursor, context = Cursor(), Context()
    do(cursor, "UPDATE", [{"hit": True}, {"hit": False}, {"hit": True}], context)
    assert context._rowcount == 2 and len(cursor.executed) == 3 and not batch
    many = [{"hit": True}] * (SMALL_BATCH + 1)
    do(cursor, "UPDATE", many, context)
    assert len(batch) == 1 and batch[0][2] is many  # a large batch goes to the driver's executemany as before
