"""The first pull into an empty store against a real fx-bureau: its rows are inserted without looking each one up
(apply.inserted_as_new), pages are fetched one ahead (sync/prefetch.py) and applied several to a transaction. It
must apply exactly what a pull the normal way applies (cases with officers and evidence, legal review rounds,
referrals, conflicts, tombstones, the audit, the search index); a record changed on the server while the pull goes
on, or edited here meanwhile, is applied the normal way; and a pull cut off part way resumes from the last cursor
committed and ends with the server's digest."""
from __future__ import annotations

import sqlite3
from datetime import date

import pytest
from sqlalchemy import select, text

from fx_desktop.domain.lifecycle import CaseStatus
from fx_desktop.services import cases, evidence, legal_review, referrals
from fx_desktop.store import meta
from fx_desktop.store.case_queries import CaseFilter, CaseQueries
from fx_desktop.store.models import Case
from fx_desktop.sync import apply as applying
from fx_desktop.sync import engine as sync_engine
from fx_desktop.sync.transport import Unreachable
from tests.conftest import case_draft
from tests.sync.test_sync_referral_clients import liaison

MATERIALS = ["case_file", "officer_opinion", "draft_decision", "request_report"]
TABLES = {  # what a pull writes, each in an order that does not depend on how it was written
    "cases": "SELECT * FROM cases ORDER BY id",
    "case_officers": "SELECT * FROM case_officers ORDER BY case_id, position",
    "evidence": "SELECT * FROM evidence ORDER BY id",
    "legal_reviews": "SELECT * FROM legal_reviews ORDER BY id",
    "referrals": "SELECT * FROM referrals ORDER BY id",
    "sync_conflicts": "SELECT id, case_id, kind, field, base, mine, theirs, mine_by, status FROM sync_conflicts "
                      "ORDER BY id",
    "audit": "SELECT actor, role, case_id, kind, record_id, action, detail FROM audit_log WHERE role = 'sync' "
             "ORDER BY seq",
}


@pytest.fixture(scope="module")
def server(bureau):
    bureau.add_user("zhou", "department_liaison", "sthj", "周敏")
    return bureau


def _dump(device) -> dict[str, list]:
    with device.store.engine.connect() as conn:
        return {name: [tuple(r) for r in conn.execute(text(sql))] for name, sql in TABLES.items()}


def _found(device, words: str) -> list[str]:
    queries = CaseQueries(device.store.engine)
    query, _total = queries.prepare(CaseFilter(text=words))
    return [row[0] for row in queries.page(query, limit=1000)]


def _spy_fresh(monkeypatch) -> list[bool]:
    """What each inserted_as_new call answered."""
    answers, original = [], applying.inserted_as_new

    def spy(ctx, insert):
        answers.append(original(ctx, insert))
        return answers[-1]

    for module in ("fx_desktop.sync.apply", "fx_desktop.sync.apply_referral", "fx_desktop.sync.apply_review"):
        monkeypatch.setattr(f"{module}.inserted_as_new", spy)
    return answers


def _a_bit_of_everything(server, device, tmp_path) -> str:
    """Cases of two towns with officers and evidence, a round of legal review, a referral the department signed
    for, a conflict and a deleted clue (a tombstone), made on five devices; returns a word of nine party names."""
    leader, officer, dept = device(server, "zhang"), device(server, "li"), device(server, "zhou")
    other = device(server, "wang")
    for i in range(9):
        cases.create_case(leader.store, leader.profile, case_draft(party_name=f"首拉{i}号", place=f"奉贤区首拉路{i}号"))
        cases.create_case(other.store, other.profile, case_draft(party_name=f"奉城{i}号"))
    reviewed = cases.create_case(leader.store, leader.profile, case_draft(proposed_penalty="罚款",
                                                                          proposed_amount="30000"))
    referred = cases.create_case(leader.store, leader.profile, case_draft(party_name="移送当事人"))
    disputed = cases.create_case(leader.store, leader.profile, case_draft(place="原地址1号"))
    gone = cases.create_case(leader.store, leader.profile, case_draft(party_name="误登记"))
    for made, actions in ((reviewed, ("file", "start_investigation", "close_investigation", "notify")),
                          (referred, ("file", "start_investigation"))):
        status = CaseStatus.CLUE
        for action in actions:
            status = cases.change_status(leader.store, leader.profile, made.id, action, expected_status=status).status
    photo = tmp_path / "现场照片.jpg"
    photo.write_bytes(b"\xff\xd8\xff\xe0" + b"first pull" * 100)
    evidence.add_evidence(leader.store, leader.profile, referred.id, photo)
    form = referrals.prepare(leader.store, leader.profile, referred.id)
    form.update(receiving_org="sthj", reason="涉及环境污染，不属于城管执法管辖。", legal_basis="《行政处罚法》第二十五条",
                contact={"name": leader.profile.name, "phone": "021-57420000"})
    sent = referrals.submit(leader.store, leader.profile, referred.id, form)
    assert leader.sync().ok and other.sync().ok and officer.sync().ok and dept.sync().ok
    referrals.sign(dept.store, liaison(dept), sent.id, received_on=date.today(), signed_by="周敏",
                   materials_match=True)
    legal_review.submit(officer.store, officer.profile, reviewed.id, materials=MATERIALS, report="提请审核。")
    for d, place in ((leader, "甲地址2号"), (officer, "乙地址3号")):
        cases.update_case(d.store, d.profile, disputed.id, case_draft(place=place),
                          base_version=cases.get_case(d.store, disputed.id).version)
    cases.delete_clue(leader.store, leader.profile, gone.id)
    assert dept.sync().ok and leader.sync().ok
    report = officer.sync()
    assert report.ok and report.conflicts == 1
    return "首拉"


def test_a_first_pull_applies_exactly_what_a_pull_the_normal_way_applies(server, device, tmp_path, monkeypatch):
    words = _a_bit_of_everything(server, device, tmp_path)
    answers = _spy_fresh(monkeypatch)
    fast = device(server, "diao", "fast")
    assert fast.sync(pull_page=4).ok
    assert True in answers and False not in answers  # every kind's rows went in as new ones

    answers.clear()
    monkeypatch.setattr(sync_engine, "holds_no_records", lambda session: False)  # as if the store held records
    normal = device(server, "diao", "normal")
    assert normal.sync(pull_page=4).ok
    assert True not in answers

    got, expected = _dump(fast), _dump(normal)
    assert got == expected
    assert all(got[t] for t in ("cases", "case_officers", "evidence", "legal_reviews", "referrals",
                                "sync_conflicts", "audit"))
    assert _found(fast, words) == _found(normal, words) and len(_found(fast, words)) == 9
    with fast.store.sessions() as s:
        assert s.execute(select(Case).where(Case.party_name == "误登记")).first() is None  # the tombstone held


def test_a_record_changed_or_edited_here_while_the_first_pull_goes_on_is_applied_the_normal_way(
        server, device, monkeypatch):
    leader = device(server, "wang", "changer")
    for i in range(12):
        cases.create_case(leader.store, leader.profile, case_draft(party_name=f"途中{i}号"))
    assert leader.sync().ok
    answers = _spy_fresh(monkeypatch)
    monkeypatch.setattr(sync_engine, "PULL_TRANSACTION_S", 0.0)  # each page committed: the edits below wait for none
    reader = device(server, "wang", "reader")
    pages = []

    def progress(phase, done, total):
        pages.append(done)
        if len(pages) != 1:
            return
        with reader.store.sessions() as session:
            first = session.execute(text("SELECT id FROM cases ORDER BY row_id LIMIT 1")).scalar_one()
        on_server = cases.get_case(leader.store, first)  # changed on the server: it comes again, later
        cases.update_case(leader.store, leader.profile, first, case_draft(party_name=on_server.values["party_name"],
                                                                          facts="服务器上补充的事实。"),
                          base_version=on_server.version)
        assert leader.sync().ok
        here = cases.get_case(reader.store, first)  # and edited here: waits to be pushed
        cases.update_case(reader.store, reader.profile, first, case_draft(party_name=here.values["party_name"],
                                                                          place="本机修改的地点"),
                          base_version=here.version)
        state["case"] = first

    state = {}
    report = reader.engine(pull_page=3).run(progress)
    assert report.error is None and report.pending_after == 1 and len(pages) > 3
    assert answers[0] is True and True not in answers[1:]  # once an edit waits here, the normal way only
    mine = cases.get_case(reader.store, state["case"])
    assert mine.values["facts"] == "服务器上补充的事实。" and mine.values["place"] == "本机修改的地点"  # rebased
    with reader.store.sessions() as s:
        trail = s.execute(text("SELECT action FROM audit_log WHERE case_id = :c AND role = 'sync'"),
                          {"c": state["case"]}).scalars().all()
    assert "sync_update" in trail
    assert reader.sync().ok and leader.sync().ok
    assert cases.get_case(leader.store, state["case"]).values["place"] == "本机修改的地点"  # pushed after all


def test_a_record_seen_twice_in_one_first_pull_falls_back_and_matches_the_server(server, device, monkeypatch):
    leader = device(server, "wang", "twice-writer")
    for i in range(6):
        cases.create_case(leader.store, leader.profile, case_draft(party_name=f"两次{i}号"))
    assert leader.sync().ok
    (oldest,) = server.sql("SELECT id FROM cases WHERE town_code = 'fengcheng' ORDER BY seq LIMIT 1")[0]
    answers = _spy_fresh(monkeypatch)
    monkeypatch.setattr(sync_engine, "PULL_TRANSACTION_S", 3600.0)  # every page in one transaction
    reader = device(server, "wang", "twice-reader")
    seen = {"oldest": False, "changed": False}
    original = reader.client.pull

    def pull(cursor, limit):
        if seen["oldest"] and not seen["changed"]:  # the page with the oldest case is in: it changes on the server
            seen["changed"] = True
            found = cases.get_case(leader.store, oldest)
            cases.update_case(leader.store, leader.profile, oldest,
                              case_draft(party_name=found.values["party_name"], facts="拉取途中改过的事实。"),
                              base_version=found.version)
            before = len(answers)
            assert leader.sync().ok
            del answers[before:]  # the writer's own sync: only the reader's pages count
        page = original(cursor, limit)
        seen["oldest"] = seen["oldest"] or any(c.get("id") == oldest for c in page["changes"])
        return page

    reader.client.pull = pull
    report = reader.sync(pull_page=2)
    assert report.ok and report.digest_ok is True
    assert seen["changed"] and answers[0] is True and False in answers  # the page bringing it again: the normal way
    assert cases.get_case(reader.store, oldest).values["facts"] == "拉取途中改过的事实。"
    with reader.store.sessions() as s:
        assert s.execute(text("SELECT count(*) FROM audit_log WHERE case_id = :c AND action = 'sync_update'"),
                         {"c": oldest}).scalar() == 1


def _cut_writer(server, device, tag: str) -> None:
    writer = device(server, "zhang", f"writer-{tag}")
    for i in range(10):
        cases.create_case(writer.store, writer.profile, case_draft(party_name=f"{tag}{i}号"))
    assert writer.sync().ok


def _held(reader) -> tuple[int, str | None]:
    """Cases and referrals held here, and the cursor stored."""
    with reader.store.sessions() as s:
        have = s.execute(text("SELECT (SELECT count(*) FROM cases) + (SELECT count(*) FROM referrals)")).scalar()
        return have, meta.get(s, reader.account.cursor_key)


def _resumes(server, device, reader, first, tag: str) -> None:
    """The next sync pulls the rest: together exactly what one whole pull brings, ending with the digest."""
    second = reader.sync(pull_page=3)
    assert second.ok and second.digest_ok is True
    whole = device(server, "zhang", f"whole-{tag}").sync()
    assert whole.ok and first.pulled + second.pulled == whole.pulled
    assert len(_found(reader, tag)) == 10


@pytest.mark.parametrize("transaction_s", [0.0, 3600.0])
def test_a_first_pull_cut_off_part_way_keeps_the_pages_it_got_and_resumes(server, device, monkeypatch,
                                                                         transaction_s):
    """Three pages are answered, the fourth request fails: those three are kept with the cursor after them, in
    transactions of their own or in one, and the next sync pulls the rest."""
    tag = f"断网{transaction_s:g}-"
    _cut_writer(server, device, tag)
    monkeypatch.setattr(sync_engine, "PULL_TRANSACTION_S", transaction_s)
    reader = device(server, "zhang", f"reader-{tag}")
    calls, cursors = {"n": 0}, []
    original = reader.client.pull

    def pull(cursor, limit):
        calls["n"] += 1
        if calls["n"] == 4:
            raise Unreachable("连接中断（测试）。")
        page = original(cursor, limit)
        cursors.append(page["cursor"])
        return page

    reader.client.pull = pull
    first = reader.sync(pull_page=3)
    assert first.error and first.outcome == "offline"
    have, stored = _held(reader)
    assert have > 0 and first.pulled == have and stored == cursors[2]
    reader.client.pull = original
    _resumes(server, device, reader, first, tag)


@pytest.mark.parametrize("transaction_s", [0.0, 3600.0])
def test_a_first_pull_failing_here_part_way_keeps_the_pages_before_and_resumes(server, device, monkeypatch,
                                                                             transaction_s):
    """Applying the third page fails (the disk, say): the two before it stay with the cursor after them, whether
    each had a transaction of its own or they shared the failed one (applied again on their own); the next sync
    pulls the rest."""
    tag = f"本地{transaction_s:g}-"
    _cut_writer(server, device, tag)
    monkeypatch.setattr(sync_engine, "PULL_TRANSACTION_S", transaction_s)
    reader = device(server, "zhang", f"reader-{tag}")
    calls, cursors, original = {"n": 0}, [], sync_engine.apply_page

    def apply_page(session, changes, cursor, **kw):
        calls["n"] += 1
        if calls["n"] == 3:
            raise sqlite3.OperationalError("disk I/O error")
        cursors.append(cursor)
        return original(session, changes, cursor, **kw)

    monkeypatch.setattr(sync_engine, "apply_page", apply_page)
    first = reader.sync(pull_page=3)
    assert first.error and first.outcome == "retry"
    have, stored = _held(reader)
    assert have > 0 and first.pulled == have and stored == cursors[-1]
    assert cursors == [cursors[0], cursors[1]] * (2 if transaction_s else 1)  # applied twice when they shared it
    monkeypatch.setattr(sync_engine, "apply_page", original)
    _resumes(server, device, reader, first, tag)
