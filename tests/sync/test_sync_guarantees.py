"""SYNC.md guarantees 1, 2, 4, 5, 6, 9, 10, 12 and 13 against a real fx-bureau (SQLite and PostgreSQL).
Guarantees 3, 7 (process kills), 8 (interrupted pull) and 11 (attachments) have files of their own."""
from __future__ import annotations

import threading
import uuid
from datetime import datetime, timedelta

import pytest
import requests

from fx_desktop.domain.case_draft import clean_to_json, validate
from fx_desktop.services import cases
from fx_desktop.store import outbox
from fx_desktop.store.models import OutboxEntry
from fx_desktop.sync.engine import SyncEngine, open_conflicts
from fx_desktop.sync.transport import BureauClient, Refused
from tests.conftest import case_draft
from tests.support.bureau import PASSWORD, run_cli
from tests.support.faulty_proxy import Proxy


def _login(bureau, username: str) -> tuple[BureauClient, str]:
    client = BureauClient(bureau.url)
    client_id = str(uuid.uuid4())
    client.login(username, PASSWORD, client_id, "test")
    return client, client_id


def _create(mid: int, case_id: str | None = None, town: str = "nanqiao", **fields) -> dict:
    values, officers = clean_to_json(validate(case_draft(**fields)))
    return {"id": mid, "name": "create_case", "at": datetime.now().isoformat(),
            "args": {"case_id": case_id or str(uuid.uuid4()), "number": "临时", "town_code": town,
                     "fields": values, "officers": officers}}


def _count(bureau, sql: str, **params) -> int:
    return bureau.sql(sql, params)[0][0]


def test_1_resent_push_changes_nothing_and_says_already_processed(bureau):
    client, cid = _login(bureau, "zhang")
    m = _create(1)
    first = client.push(cid, [m], datetime.now().isoformat())
    again = client.push(cid, [m], datetime.now().isoformat())
    assert first["results"][0]["result"] == "applied"
    assert again["results"][0]["result"] == "already_processed"
    assert _count(bureau, "SELECT count(*) FROM cases WHERE id = :i", i=m["args"]["case_id"]) == 1
    assert _count(bureau, "SELECT count(*) FROM mutation_log WHERE client_id = :c", c=cid) == 1


def test_1_lost_response_then_engine_resends_without_duplicates(bureau, device):
    a = device(bureau, "zhang")
    made = cases.create_case(a.store, a.profile, case_draft())
    with a.store.sessions() as s:  # push exactly what the engine would, and "lose" the answer
        entries = [{"id": e.seq, "name": e.name, "args": e.args, "at": e.created_at.isoformat()}
                   for e in outbox.pending(s, owner=a.account.username)]
    a.client.push(a.account.client_id, entries, datetime.now().isoformat())
    report = a.sync()
    assert report.ok and report.pushed == 1
    assert _count(bureau, "SELECT count(*) FROM cases WHERE id = :i", i=made.id) == 1


def test_2_a_gap_is_refused_and_nothing_applied(bureau):
    client, cid = _login(bureau, "zhang")
    client.push(cid, [_create(1)], datetime.now().isoformat())
    gap = _create(3)
    answer = client.push(cid, [gap], datetime.now().isoformat())
    assert answer["results"] == [{"id": 3, "result": "out_of_order", "expected": 2}]
    assert answer["last_mutation_id"] == 1
    assert _count(bureau, "SELECT count(*) FROM cases WHERE id = :i", i=gap["args"]["case_id"]) == 0


def test_5_a_poison_mutation_is_rejected_visibly_and_later_ones_apply(bureau, device):
    a = device(bureau, "zhang")
    good_before = cases.create_case(a.store, a.profile, case_draft())
    with a.store.writes.begin() as s:  # a change no server can accept (the client's own checks bypassed)
        outbox.enqueue(s, "update_case", {"case_id": good_before.id, "changed_fields": {"party_id_number": "123"},
                                          "base": {"party_id_number": good_before.values["party_id_number"]}},
                       owner=a.account.username)
    good_after = cases.create_case(a.store, a.profile, case_draft(party_name="孙立"))
    report = a.sync()
    assert report.rejected == 1 and report.pending_after == 0
    with a.store.sessions() as s:
        rejected = s.query(OutboxEntry).filter_by(state="rejected").one()
    assert "证件号码" in rejected.reason or "身份证" in rejected.reason
    assert _count(bureau, "SELECT count(*) FROM cases WHERE id IN (:a, :b)", a=good_before.id, b=good_after.id) == 2
    assert bureau.sql("SELECT reason FROM mutation_log WHERE result = 'rejected' AND case_id = :c",
                      {"c": good_before.id})[0][0] == rejected.reason


@pytest.mark.parametrize("fault", ["503_before", "503_after"])
def test_6_after_503s_a_mutation_is_applied_exactly_once(bureau, device, fault):
    proxy = Proxy(bureau.port).start()
    try:
        a = device(bureau, "zhang")
        a.client.base_url = proxy.url
        made = cases.create_case(a.store, a.profile, case_draft())
        proxy.add(fault, "/sync/push", times=3)
        reports = [a.sync() for _ in range(4)]
        assert [r.error is not None for r in reports] == [True, True, True, False]
        assert "服务器" in reports[0].error
        assert reports[-1].ok
        assert _count(bureau, "SELECT count(*) FROM cases WHERE id = :i", i=made.id) == 1
        assert _count(bureau, "SELECT count(*) FROM mutation_log WHERE case_id = :i", i=made.id) == 1
    finally:
        proxy.stop()


def test_10_five_parallel_identical_pushes_make_one_record(bureau):
    client, cid = _login(bureau, "zhang")
    m = _create(1)
    answers, barrier = [], threading.Barrier(5)

    def push():
        c = BureauClient(bureau.url)
        c.tokens = client.tokens
        barrier.wait()
        answers.append(c.push(cid, [m], datetime.now().isoformat())["results"][0]["result"])

    threads = [threading.Thread(target=push) for _ in range(5)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert sorted(answers) == ["already_processed"] * 4 + ["applied"]
    assert _count(bureau, "SELECT count(*) FROM cases WHERE id = :i", i=m["args"]["case_id"]) == 1


def test_12_a_client_clock_off_by_a_day_changes_no_outcome(bureau, device):
    fast = lambda: datetime.now() + timedelta(days=1)  # noqa: E731
    a, b = device(bureau, "zhang"), device(bureau, "li")
    made = cases.create_case(a.store, a.profile, case_draft(place="原址"))
    engine = SyncEngine(a.store, a.client, a.account, a.creds, now=fast)
    assert engine.run().ok
    b.sync()
    va, vb = cases.get_case(a.store, made.id).version, cases.get_case(b.store, made.id).version
    # A's clock says tomorrow, B's today; A's edit arrives first, so B's edit of the same field conflicts with
    # it: arrival order decides, never the timestamps.
    cases.update_case(a.store, a.profile, made.id, case_draft(place="甲"), base_version=va, now=fast())
    cases.update_case(b.store, b.profile, made.id, case_draft(place="乙"), base_version=vb)
    first = SyncEngine(a.store, a.client, a.account, a.creds, now=fast).run()
    assert first.ok and any("时钟" in w for w in first.warnings)
    assert b.sync().conflicts == 1
    (conflict,) = open_conflicts(b.store, made.id)
    assert (conflict.mine, conflict.theirs) == ("乙", "甲")
    opened = bureau.sql("SELECT opened_on FROM cases WHERE id = :i", {"i": made.id})[0][0]
    assert str(opened) <= datetime.now().date().isoformat()  # a fast clock cannot date the case ahead


def _expire_tokens(bureau) -> None:
    """The administrator's command: every access token issued so far is expired from now on."""
    done = run_cli("expire-tokens", "--db", bureau.db_url)
    assert done.returncode == 0 and "已失效" in done.stdout, done.stderr


def test_13_token_expiring_mid_push_is_refreshed_without_duplicates(fresh_bureau, device):
    fresh_bureau.start()
    a = device(fresh_bureau, "zhang")
    made = [cases.create_case(a.store, a.profile, case_draft(party_name=f"赵{i}")).id for i in range(60)]
    _expire_tokens(fresh_bureau)  # the access token from login has expired before the first batch
    engine = SyncEngine(a.store, a.client, a.account, a.creds, push_batch=5)
    original_push, original_refresh = a.client.push, a.client.refresh_access
    answered, refreshed = [], []

    def push(*args, **kw):
        answer = original_push(*args, **kw)
        answered.append(answer)
        if len(answered) in (3, 7):  # and expires again between batches, twice
            _expire_tokens(fresh_bureau)
        return answer

    def refresh(*args, **kw):
        refreshed.append(len(answered))
        return original_refresh(*args, **kw)

    a.client.push, a.client.refresh_access = push, refresh
    report = engine.run()
    assert report.ok, report.summary()
    assert refreshed == [0, 3, 7]  # each expired token refreshed once, right where it expired
    assert len(answered) == 12 and all(r["result"] == "applied" for body in answered for r in body["results"])
    assert _count(fresh_bureau, "SELECT count(*) FROM mutation_log") == 60
    assert _count(fresh_bureau, "SELECT count(DISTINCT id) FROM cases") == 60 == len(set(made))


def test_13_expire_tokens_ends_every_access_token_and_keeps_the_refresh_tokens(bureau):
    client, _cid = _login(bureau, "li")
    old = client.tokens.access
    assert client.digest()["count"] >= 0
    _expire_tokens(bureau)
    refused = requests.get(bureau.url + "/sync/digest", headers={"Authorization": f"Bearer {old}"}, timeout=30)
    assert refused.status_code == 401 and refused.json()["code"] == "token_expired"
    assert client.digest()["count"] >= 0  # refreshed with the same refresh token and repeated
    assert client.tokens.access != old


def test_13_another_users_client_id_gets_403(bureau):
    _zhang, zhang_cid = _login(bureau, "zhang")
    li, _li_cid = _login(bureau, "li")
    with pytest.raises(Refused) as err:
        li.push(zhang_cid, [_create(1)], datetime.now().isoformat())
    assert err.value.status == 403
    assert _count(bureau, "SELECT last_mutation_id FROM clients WHERE id = :c", c=zhang_cid) == 0


def test_13_town_b_can_neither_read_nor_write_town_a(bureau, device):
    a = device(bureau, "zhang")
    made = cases.create_case(a.store, a.profile, case_draft())
    a.sync()
    version = _count(bureau, "SELECT version FROM cases WHERE id = :i", i=made.id)
    wang, wang_cid = _login(bureau, "wang")
    pulled = wang.pull(None, 1000)
    assert made.id not in {c.get("id") for c in pulled["changes"]}
    crafted = {"id": 1, "name": "update_case", "at": datetime.now().isoformat(),
               "args": {"case_id": made.id, "changed_fields": {"place": "篡改"}, "base": {}}}
    with pytest.raises(Refused) as err:
        wang.push(wang_cid, [crafted], datetime.now().isoformat())
    assert err.value.status == 403 and "街镇" in err.value.message
    assert _count(bureau, "SELECT version FROM cases WHERE id = :i", i=made.id) == version
    assert _count(bureau, "SELECT last_mutation_id FROM clients WHERE id = :c", c=wang_cid) == 0
    with pytest.raises(Refused) as err:  # nor create a case in town A
        wang.push(wang_cid, [_create(1, town="nanqiao")], datetime.now().isoformat())
    assert err.value.status == 403


def test_a_damaged_serial_skips_the_numbers_already_used(fresh_bureau, device):
    """A serial row set back (restored from an older backup, edited by hand) would hand out a number a case holds:
    fx-bureau skips it and numbers the new case after it, instead of refusing the push; later edits still apply."""
    fresh_bureau.start()
    a = device(fresh_bureau, "zhang")
    first = cases.create_case(a.store, a.profile, case_draft(party_name="第一件"))
    second = cases.create_case(a.store, a.profile, case_draft(party_name="第二件"))
    assert a.sync().ok
    year = datetime.now().year
    from sqlalchemy import text

    from fx_bureau.db import make_engine

    engine = make_engine(fresh_bureau.db_url)
    with engine.begin() as conn:  # a damaged serial: the next official number is one already used
        conn.execute(text("UPDATE serials SET next_serial = 1 WHERE scope = 'nanqiao' AND year = :y"), {"y": year})
    engine.dispose()
    clash = cases.create_case(a.store, a.profile, case_draft(party_name="撞号"))
    edit = cases.update_case(a.store, a.profile, first.id, case_draft(party_name="第一件", place="改后地址"),
                             base_version=cases.get_case(a.store, first.id).version)
    report = a.sync()
    assert report.ok and report.rejected == 0 and report.pending_after == 0, report.summary()
    numbers = {i: n for i, n in fresh_bureau.sql("SELECT id, number FROM cases")}
    assert numbers[clash.id] == numbers[second.id].replace("0002号", "0003号")
    assert cases.get_case(a.store, clash.id).number == numbers[clash.id]
    import json

    stored = fresh_bureau.sql("SELECT fields FROM cases WHERE id = :i", {"i": edit.id})[0][0]
    assert (stored if isinstance(stored, dict) else json.loads(stored))["place"] == "改后地址"


def test_4_pushes_in_parallel_never_make_a_puller_skip_a_change(bureau):
    """Sequence order is commit order although pushes take their sequence numbers only at the end (fx_bureau.schema
    defer_sequence): a dispatcher pulling in small pages while four clients push in parallel ends with every case,
    and every number on the server is a real one, unique."""
    pushers = [_login(bureau, name) for name in ("zhang", "li", "wang", "zhang")]
    towns = ["nanqiao", "nanqiao", "fengcheng", "nanqiao"]
    puller, _ = _login(bureau, "diao")
    made: list[str] = []
    start, done, errors = threading.Barrier(len(pushers) + 1), threading.Event(), []

    def push(client: BureauClient, cid: str, town: str) -> None:
        try:
            start.wait()
            for mid in range(1, 16):
                m = _create(mid, town=town)
                assert client.push(cid, [m], datetime.now().isoformat())["results"][0]["result"] == "applied"
                made.append(m["args"]["case_id"])
        except BaseException as exc:  # noqa: BLE001 - reported by the main thread
            errors.append(exc)

    threads = [threading.Thread(target=push, args=(c, cid, town)) for (c, cid), town in zip(pushers, towns)]
    for t in threads:
        t.start()
    seen, cursor = set(), None
    start.wait()
    while True:
        finished = not any(t.is_alive() for t in threads)  # read before the pull: a last pull after the end
        page = puller.pull(cursor, 5)
        seen.update(c["id"] for c in page["changes"] if c["type"] == "case")
        cursor = page["cursor"]
        if finished and not page["more"]:
            break
    assert not errors, errors
    assert len(made) == 60 and set(made) <= seen
    seqs = [row[0] for row in bureau.sql("SELECT seq FROM cases")]
    assert len(seqs) == len(set(seqs)) and min(seqs) > 0
    assert bureau.sql("SELECT value FROM counters WHERE name = 'seq'")[0][0] >= max(seqs)
