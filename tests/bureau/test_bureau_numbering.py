"""Official numbers inside a push are placeholders until the request's end (fx_bureau.numbering): every place a
handler put one gets the real number, the numbers stay gap-free per town and year when a mutation that took one
is rejected (fast path and savepoint path), and pushes running at the same time never share or skip a number
(SQLite and PostgreSQL, in process)."""
from __future__ import annotations

import re
import threading
import uuid

import pytest
from sqlalchemy import select

from fx_bureau import push as push_mod
from fx_bureau.models import Case, LegalReview, Referral
from fx_bureau.mutations import MUTATIONS, MutationSpec, Outcome
from fx_bureau.numbering import official_number
from fx_desktop.domain.errors import DomainError
from tests.bureau.test_bureau_push_batch import _create, _principal, _with_same_number, server_db  # noqa: F401

CASE_NUMBER = re.compile(r"^奉南桥综执立〔\d{4}〕(\d{4})号$")
REFERRAL_NUMBER = re.compile(r"^奉南桥综执移〔\d{4}〕\d{4}号$")


def _serial(number: str) -> int:
    match = CASE_NUMBER.match(number)
    assert match, number
    return int(match.group(1))


def _referral(mid: int, case_id: str) -> dict:
    return {"id": mid, "name": "submit_referral", "args": {
        "referral_id": str(uuid.uuid4()), "case_id": case_id, "receiving_org": "scjg", "expected_case_state": "clue",
        "number": "奉南桥综执移〔临〕1号", "reason": "属于市场监管部门管辖", "legal_basis": "《行政处罚法》第二十三条",
        "summary": "当事人无照经营食品", "materials": [{"no": 1, "title": "现场检查笔录", "pages": 2}],
        "items": [], "contact": {"name": "张伟", "phone": "021-57180000"}}}


def _no_placeholder_left(writes) -> None:
    with writes() as s:
        texts = [n for (n,) in s.execute(select(Case.number))] + [n for (n,) in s.execute(select(Referral.number))]
        texts += [str(d) for (d,) in s.execute(select(Referral.data))]
        texts += [str(d) for (d,) in s.execute(select(LegalReview.data))]
    assert not [t for t in texts if "~fxnum~" in t]


def test_a_case_and_its_referral_in_one_push_get_real_numbers_everywhere(server_db):
    writes = server_db
    p = _principal(writes)
    first, second = _create(1), _create(2)
    referral = _referral(3, first["args"]["case_id"])
    _p, answer = push_mod.push_request(writes, lambda _s: p, p.client_id, [first, second, referral])
    assert [r["result"] for r in answer["results"]] == ["applied"] * 3, answer
    numbers = [r["detail"]["number"] for r in answer["results"]]
    assert _serial(numbers[1]) == _serial(numbers[0]) + 1
    assert REFERRAL_NUMBER.match(numbers[2]), numbers[2]
    with writes() as s:
        assert s.get(Case, first["args"]["case_id"]).number == numbers[0]
        stored = s.get(Referral, referral["args"]["referral_id"])
        assert stored.number == stored.data["number"] == numbers[2]
        assert stored.data["case_snapshot"]["number"] == numbers[0]  # read from the case inside the same push
    _no_placeholder_left(writes)


def _takes_then_refuses() -> dict:
    """`take_and_refuse` takes a case number and is then rejected by a business rule (fast path: nothing written)."""
    def take_and_refuse(session, principal, args, ctx):
        official_number(session, "nanqiao", ctx.at.year)
        raise DomainError("按规则拒绝")

    return {**MUTATIONS, "take_and_refuse": MutationSpec(MUTATIONS["delete_case"].schema, take_and_refuse)}


def test_a_number_taken_by_a_rejected_mutation_is_not_used_up(server_db):
    writes = server_db
    p = _principal(writes)
    _p, before = push_mod.push_request(writes, lambda _s: p, p.client_id, [_create(1)])
    last = _serial(before["results"][0]["detail"]["number"])
    _p, answer = push_mod.push_request(writes, lambda _s: p, p.client_id, [
        {"id": 2, "name": "take_and_refuse", "args": {"case_id": str(uuid.uuid4())}}, _create(3)],
        registry=_takes_then_refuses())
    assert [r["result"] for r in answer["results"]] == ["rejected", "applied"]
    assert _serial(answer["results"][1]["detail"]["number"]) == last + 1


def test_a_number_taken_by_a_mutation_the_database_refuses_is_not_used_up(server_db):
    """The savepoint path: the poison mutation takes a number for a case it then adds under another case's number;
    its savepoint is rolled back with the placeholder, and the next case gets the very next number."""
    writes = server_db
    p = _principal(writes)
    _p, before = push_mod.push_request(writes, lambda _s: p, p.client_id, [_create(1)])
    taken = before["results"][0]["detail"]["number"]
    poison_id = str(uuid.uuid4())
    registry = _with_same_number(taken, poison_id)
    same_number = registry["same_number"].handler

    def take_then_same_number(session, principal, args, ctx):
        official_number(session, "nanqiao", ctx.at.year)
        return same_number(session, principal, args, ctx)

    registry["same_number"] = MutationSpec(registry["same_number"].schema, take_then_same_number)
    _p, answer = push_mod.push_request(writes, lambda _s: p, p.client_id, [
        _create(2), {"id": 3, "name": "same_number", "args": {"case_id": poison_id}}, _create(4)], registry=registry)
    assert [r["result"] for r in answer["results"]] == ["applied", "rejected", "applied"]
    serials = [_serial(answer["results"][i]["detail"]["number"]) for i in (0, 2)]
    assert serials == [_serial(taken) + 1, _serial(taken) + 2]
    _no_placeholder_left(writes)


def test_a_placeholder_written_before_the_end_of_the_push_gets_its_number(server_db):
    """A query in a handler flushes what is pending: the row then holds its placeholder in the database, and a
    later mutation of the same push changes the row again. Both the row and the answer get the real number."""
    writes = server_db
    p = _principal(writes)
    create = MUTATIONS["create_case"].handler

    def create_then_query(session, principal, args, ctx):
        outcome = create(session, principal, args, ctx)
        session.execute(select(Case.id)).all()  # autoflush
        return outcome

    registry = {**MUTATIONS, "create_then_query": MutationSpec(MUTATIONS["create_case"].schema, create_then_query)}
    created = {**_create(1), "name": "create_then_query"}
    case_id = created["args"]["case_id"]
    place = created["args"]["fields"]["place"]
    update = {"id": 2, "name": "update_case", "args": {"case_id": case_id, "changed_fields": {"place": "改后地址"},
                                                       "base": {"place": place}}}
    _p, answer = push_mod.push_request(writes, lambda _s: p, p.client_id, [created, update], registry=registry)
    assert [r["result"] for r in answer["results"]] == ["applied", "applied"], answer
    number = answer["results"][0]["detail"]["number"]
    with writes() as s:
        case = s.get(Case, case_id)
        assert (case.number, case.fields["place"]) == (number, "改后地址")
    _serial(number)
    _no_placeholder_left(writes)


def test_pushes_at_the_same_time_share_no_number_and_skip_none(server_db):
    writes = server_db
    p0 = _principal(writes)
    _p, before = push_mod.push_request(writes, lambda _s: p0, p0.client_id, [_create(1)])
    start = _serial(before["results"][0]["detail"]["number"])
    principals = [_principal(writes) for _ in range(4)]
    numbers: list[str] = []
    errors: list[BaseException] = []
    lock = threading.Lock()

    def device(p):
        try:
            for push_no in range(5):
                batch = [_create(push_no * 3 + k + 1) for k in range(3)]
                _p, answer = push_mod.push_request(writes, lambda _s: p, p.client_id, batch)
                with lock:
                    numbers.extend(r["detail"]["number"] for r in answer["results"])
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=device, args=(p,)) for p in principals]
    for t in threads:
        t.start()
    for t in threads:
        t.join(300)
    assert not errors, errors
    assert sorted(_serial(n) for n in numbers) == list(range(start + 1, start + 61))
    _no_placeholder_left(writes)
