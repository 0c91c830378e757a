"""Legal review rounds as a record kind of their own (store migration 0009, server migration 0005): a client
database of the previous schema (0008, rounds replaced from the case row, review mutations queued on the case)
upgrades with its rounds and its waiting review steps kept, and syncs on with a real fx-bureau; pulled rounds are
rows of kind legal_review, and a round with this device's steps still waiting is rebased with the domain's rules."""
from __future__ import annotations

from datetime import datetime, timedelta

from alembic import command
from alembic.config import Config
from sqlalchemy import inspect, select, text

from fx_desktop.domain import legal_review as lr
from fx_desktop.domain.lifecycle import CaseStatus
from fx_desktop.domain.roles import Role
from fx_desktop.paths import DataPaths
from fx_desktop.services import cases, legal_review
from fx_desktop.services.calendar import current_calendar
from fx_desktop.services.profile import Profile
from fx_desktop.services.review_rules import rules_in
from fx_desktop.store import migrate, open_store
from fx_desktop.store.db import make_engine
from fx_desktop.store.models import LegalReview, OutboxEntry
from fx_desktop.sync.apply import apply_page
from tests.conftest import case_draft
from tests.sync.test_sync_legal_review import ALL_MET, MATERIALS, notified_case

import pytest


PREVIOUS = "0008"  # the store schema before rounds became a kind of their own


def _back_to_previous(device) -> None:
    """The device's database taken back to the revision before (PREVIOUS) by the migration's own downgrade: rounds
    without owner or versions, with a foreign key to their case, and review mutations queued on the case."""
    device.store.close()
    engine = make_engine(device.paths.database)
    cfg = Config()
    cfg.set_main_option("script_location", str(migrate.MIGRATIONS))
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, PREVIOUS)
    with engine.connect() as conn:
        assert migrate.current_revision(engine) == PREVIOUS
        columns = {c["name"] for c in inspect(conn).get_columns("legal_reviews")}
        assert "server_version" not in columns and "owner_org" not in columns
        assert inspect(conn).get_foreign_keys("legal_reviews")[0]["referred_table"] == "cases"
        queued = conn.execute(text("SELECT kind, record_id, case_id FROM outbox WHERE state = 'pending'")).all()
        assert queued and all(k == "case" and r == c for k, r, c in queued)
    engine.dispose()


def _rounds(device, case_id: str) -> list[LegalReview]:
    with device.store.sessions() as s:
        return list(s.execute(select(LegalReview).where(LegalReview.case_id == case_id)
                              .order_by(LegalReview.round_no)).scalars())


def _pending(device) -> list[tuple]:
    with device.store.sessions() as s:
        return [(e.name, e.kind, e.record_id, e.case_id) for e in
                s.execute(select(OutboxEntry).where(OutboxEntry.state == "pending")).scalars()]  # one device each


def test_a_store_of_the_previous_schema_with_a_waiting_verdict_upgrades_and_syncs_on(bureau, device):
    leader, reviewer = device(bureau, "zhang"), device(bureau, "reviewer")
    case_id = notified_case(leader)
    legal_review.submit(leader.store, leader.profile, case_id, materials=MATERIALS, report="拟罚款三万元，提请审核。")
    assert leader.sync().ok
    reviewer.sync()
    (first,) = legal_review.reviews_of(reviewer.store, case_id)
    legal_review.record_verdict(reviewer.store, reviewer.profile, case_id, first.id, outcome="agree",
                                opinion="同意。", criteria=ALL_MET)  # offline: waits in the outbox
    _back_to_previous(reviewer)

    reviewer.reopen()  # upgrades to the current schema
    (row,) = _rounds(reviewer, case_id)
    assert (row.id, row.owner_org, row.server_version, row.status) == (first.id, "nanqiao", 1, "agreed")
    assert _pending(reviewer) == [("record_review", "legal_review", first.id, case_id)]
    report = reviewer.sync()
    assert report.ok and report.rejected == 0, report.summary()
    assert report.digest_ok is True and report.resyncs == 0  # the upgraded rounds matched the server's at once
    (status, version), = bureau.sql("SELECT status, version FROM legal_reviews WHERE id = :i", {"i": first.id})
    assert (status, version) == ("agreed", 2)
    assert _rounds(reviewer, case_id)[0].server_version == 2
    leader.sync()
    assert cases.get_case(leader.store, case_id).review_passed
    assert [(r.id, r.status) for r in legal_review.reviews_of(leader.store, case_id)] == [
        (first.id, lr.ReviewStatus.AGREED)]


def test_a_store_of_the_previous_schema_with_a_submission_never_pushed_upgrades_and_pushes_it(bureau, device):
    officer = device(bureau, "zhang")  # a squad leader: files the case and submits it
    case_id = notified_case(officer)
    made = legal_review.submit(officer.store, officer.profile, case_id, materials=MATERIALS, report="提请审核。")
    _back_to_previous(officer)

    officer.reopen()
    (row,) = _rounds(officer, case_id)
    assert (row.id, row.server_version) == (made.id, None)  # not on the server yet
    assert _pending(officer) == [("submit_review", "legal_review", made.id, case_id)]
    report = officer.sync()
    assert report.ok and report.rejected == 0 and report.digest_ok is True, report.summary()
    assert (_rounds(officer, case_id)[0].server_version, cases.get_case(officer.store, case_id).status) == (
        1, CaseStatus.LEGAL_REVIEW)
    (owner,), = bureau.sql("SELECT owner_org FROM legal_reviews WHERE id = :i", {"i": made.id})
    assert owner == "nanqiao"


def test_a_submission_the_server_refuses_leaves_no_round_behind(bureau, device):
    """The case moved on elsewhere while the squad submitted it offline: the server rejects the submission with its
    reason, and the next pull takes the round the server never accepted away (as when rounds came inside the case
    row), leaving the case as the server has it."""
    leader, officer = device(bureau, "zhang"), device(bureau, "li")
    case_id = notified_case(leader)
    officer.sync()
    cases.change_status(officer.store, officer.profile, case_id, "reopen_investigation",
                        expected_status=CaseStatus.NOTIFIED)
    assert officer.sync().ok
    made = legal_review.submit(leader.store, leader.profile, case_id, materials=MATERIALS, report="提请审核。")
    assert [r.id for r in legal_review.reviews_of(leader.store, case_id)] == [made.id]
    report = leader.sync()
    assert report.rejected == 1 and report.digest_ok is True, report.summary()
    with leader.store.sessions() as s:
        entry = s.execute(select(OutboxEntry).where(OutboxEntry.record_id == made.id)).scalar_one()
        assert (entry.state, entry.kind) == ("rejected", "legal_review") and "案件状态已变为" in entry.reason
    assert legal_review.reviews_of(leader.store, case_id) == []
    assert cases.get_case(leader.store, case_id).status is CaseStatus.INVESTIGATING
    assert bureau.sql("SELECT count(*) FROM legal_reviews WHERE case_id = :c", {"c": case_id})[0][0] == 0


NOW = datetime(2026, 3, 10, 9, 0)
LEADER = Profile("u-leader", "张伟", Role.SQUAD_LEADER, "nanqiao")
REVIEWER = Profile("u-reviewer", "赵敏", Role.LEGAL_REVIEWER, "nanqiao")


@pytest.fixture
def store(tmp_path):
    opened = open_store(DataPaths.at(tmp_path / "local"))
    yield opened
    opened.close()


def _submitted(store) -> tuple[str, legal_review.ReviewRecord]:
    made = cases.create_case(store, LEADER, case_draft(proposed_penalty="罚款", proposed_amount="30000"), now=NOW)
    status = CaseStatus.CLUE
    for action in ("file", "start_investigation", "close_investigation", "notify"):
        status = cases.change_status(store, LEADER, made.id, action, expected_status=status, now=NOW).status
    return made.id, legal_review.submit(store, LEADER, made.id, materials=MATERIALS, report="提请审核。", now=NOW)


def _wire(record: legal_review.ReviewRecord, version: int, **changed) -> dict:
    data = {"id": record.id, "round_no": record.round_no, "status": str(record.status),
            "submitted_at": record.submitted_at.isoformat(), "submitted_by": record.submitted_by,
            "materials": record.materials, "report": record.report, "accepted_on": record.accepted_on.isoformat(),
            "due_on": record.due_on.isoformat(), "extension_reason": None, "criteria": None, "outcome": None,
            "opinion": None, "reviewer": None, "reviewed_at": None, "opinion_number": None, **changed}
    return {"type": "legal_review", "seq": version, "id": record.id, "version": version, "case_id": record.case_id,
            "owner_org": "nanqiao", "updated_at": NOW.isoformat(), "data": data}


def _pull(store, changes) -> None:
    with store.writes.begin() as s:
        apply_page(s, changes, "e:1", cursor_key="sync.cursor:x", actor="sync", now=NOW)


def test_a_pulled_round_is_rebased_with_the_waiting_extension_and_a_refused_step_stays_pending(store):
    case_id, submitted = _submitted(store)
    legal_review.extend(store, REVIEWER, case_id, submitted.id, "案情复杂，需延长审核期限。", now=NOW)
    server_due = submitted.due_on - timedelta(days=1)  # the server's own deadline: the rebase starts from it
    _pull(store, [_wire(submitted, 1, due_on=server_due.isoformat())])  # the server has the submission only
    (row,) = legal_review.reviews_of(store, case_id)
    with store.sessions() as s:
        expected = lr.review_due(server_due, current_calendar(s), rules_in(s).extension_days)
        assert s.get(LegalReview, submitted.id).server_version == 1
    assert (row.status, row.extension_reason, row.due_on) == (lr.ReviewStatus.PENDING, "案情复杂，需延长审核期限。",
                                                               expected)
    # the squad leader took the case back meanwhile: the round is withdrawn there, the extension no longer applies
    _pull(store, [_wire(submitted, 2, status="withdrawn")])
    (row,) = legal_review.reviews_of(store, case_id)
    assert (row.status, row.extension_reason) == (lr.ReviewStatus.WITHDRAWN, None)
    assert ("extend_review", "legal_review", submitted.id, case_id) in [
        (e.name, e.kind, e.record_id, e.case_id) for e in _outbox(store)]


def test_a_waiting_return_of_the_case_withdraws_the_pulled_round(store):
    case_id, submitted = _submitted(store)
    cases.change_status(store, LEADER, case_id, "return_review", expected_status=CaseStatus.LEGAL_REVIEW, now=NOW)
    _pull(store, [_wire(submitted, 1)])  # the server's round is still open: the return waits to be pushed
    (row,) = legal_review.reviews_of(store, case_id)
    assert row.status is lr.ReviewStatus.WITHDRAWN


def _outbox(store) -> list[OutboxEntry]:
    with store.sessions() as s:
        return list(s.execute(select(OutboxEntry).where(OutboxEntry.state == "pending")).scalars())
