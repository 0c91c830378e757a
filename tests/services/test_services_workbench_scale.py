"""The workbench at scale (issue 14): its providers count in SQL and read only their first screenful. On a store of
demo cases with every other kind added as bench/other_records.py adds them (real SQLite file): the counts in SQL
agree with the items the providers list when nothing is cut (total and overdue), a small limit keeps them true,
the meetings filtered in SQL are exactly those the unfiltered reading finds, and the queries use the indexes of
store migration 0018."""
from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import text

PROJECT = Path(__file__).resolve().parents[2]
if str(PROJECT) not in sys.path:  # `bench` is a top-level package next to fx_desktop, not installed
    sys.path.insert(0, str(PROJECT))

from bench import list_and_search, other_records  # noqa: E402
from fx_desktop.domain.organisations import OrgKind  # noqa: E402
from fx_desktop.domain.roles import Role  # noqa: E402
from fx_desktop.services import police_requests, workbench  # noqa: E402
from fx_desktop.services.demo import generate  # noqa: E402
from fx_desktop.services.profile import Profile  # noqa: E402
from fx_desktop.store import migrate, open_store  # noqa: E402

KINDS = ("referral", "police_request", "criminal_referral", "meeting", "supervision", "legal_review")


@pytest.fixture(scope="module")
def busy(tmp_path_factory):
    from fx_desktop.paths import DataPaths

    store = open_store(DataPaths.at(tmp_path_factory.mktemp("scale") / "data"))
    generate(store, 3000, seed=2)
    other_records.fill(store, 1500, seed=5)
    town = list_and_search.busiest_town(store)
    users = [Profile("l", "张伟", Role.SQUAD_LEADER, town), Profile("o", "周敏", Role.OFFICE_STAFF, town),
             Profile("d", "李敏", Role.DEPARTMENT_LIAISON, None, list_and_search.busiest_department(store),
                     OrgKind.DEPARTMENT)]
    yield store, users
    store.close()


def _counts(bench: workbench.Workbench) -> dict[str, tuple[int, int]]:
    return {c.kind: (c.total, c.overdue) for c in bench.counts}


def test_the_counts_are_those_of_the_items_listed_when_none_is_cut(busy):
    store, users = busy
    for user in users:
        bench = workbench.load(store, user, limit=100_000)
        for kind, (total, overdue) in _counts(bench).items():
            items = [i for i in bench.items if i.kind == kind]
            assert (len(items), sum(i.overdue for i in items)) == (total, overdue), (user.role, kind)
        assert all(_counts(bench)[k][0] > 0 for k in ("referral", "meeting", "supervision")), _counts(bench)


def test_a_small_limit_keeps_the_counts_true(busy):
    store, users = busy
    for user in users:
        everything = workbench.load(store, user, limit=100_000)
        first = workbench.load(store, user, limit=5)
        assert _counts(first) == _counts(everything)
        for kind, (total, _overdue) in _counts(first).items():
            listed = [i for i in first.items if i.kind == kind]
            assert len(listed) <= 5 * 3, (user.role, kind)  # `limit` per query; a kind has at most three
            assert len(listed) == total or total > 5, (user.role, kind)
        assert not first.shown_all and everything.shown_all


def test_the_meetings_filtered_in_sql_are_those_the_whole_reading_finds(busy, monkeypatch):
    store, users = busy
    found = {u.role: workbench.load(store, u, limit=100_000, sources={"meeting": workbench.SOURCES["meeting"]})
             for u in users}

    def every_meeting(ctx):  # the reading before migration 0018: every meeting of the organisation
        return ctx.session.connection().execute(text(
            "SELECT id, owner_org, number, title, starts_at, status, data FROM meetings "
            "WHERE (owner_org = :org OR party_orgs LIKE '%,' || :org || ',%') AND status != 'cancelled' "
            "ORDER BY starts_at"), {"org": ctx.profile.org_code or ""}).all()

    monkeypatch.setattr(workbench, "_meeting_rows", every_meeting)
    for u in users:
        whole = workbench.load(store, u, limit=100_000, sources={"meeting": workbench.SOURCES["meeting"]})
        assert [i.key for i in found[u.role].items] == [i.key for i in whole.items]
        assert _counts(found[u.role]) == _counts(whole) and whole.total > 0


def test_a_meeting_whose_agreed_item_a_sheet_still_follows_up_is_read_whatever_its_minutes_say(busy):
    """Where agreed items are linked to their sheets, the sheet decides the item's status: a meeting whose minutes
    mark every item done is still read for the item's lead unit while a sheet following it up is open."""
    from datetime import datetime, timedelta

    from fx_desktop.domain import supervision as sv
    from fx_desktop.domain.organisations import OrgDirectory
    from fx_desktop.services.calendar import current_calendar
    from fx_desktop.store import reference
    from fx_desktop.sync.apply_supervision import _INSERT, row_values

    store, users = busy
    leader = users[0]
    with store.engine.connect() as conn:
        done = conn.execute(text(
            f"SELECT id, json_extract(data, '$.minutes.items[0].lead_org') FROM meetings WHERE owner_org = :org "
            f"AND status = 'held' AND NOT {workbench.MAY_GIVE_WORK} "
            "AND json_array_length(data, '$.minutes.items') > 0 LIMIT 1"), {"org": leader.org_code}).one()

    lead = Profile("d", "李敏", Role.DEPARTMENT_LIAISON, None, done[1], OrgKind.DEPARTMENT)  # the item's lead

    def read_ids() -> set[str]:
        with store.sessions() as session:
            ctx = workbench.Context(store, session, lead, date.today(), current_calendar(session))
            return {r[0] for r in workbench._meeting_rows(ctx)}

    assert done[0] not in read_ids()  # every item done, no sheet: not read
    with store.sessions() as session:
        orgs = OrgDirectory.from_reference(reference.current(session))
    now = datetime.now()
    state = sv.issue({"supervision_id": "follow-up-1", "number": "奉综执督〔2026〕99999号", "matter": "落实议定事项",
                      "deadline": (now + timedelta(days=10)).date().isoformat(), "source_kind": "meeting",
                      "source_id": done[0], "source_item": 1},
                     owner=orgs.require(leader.org_code), responsible=orgs.require(done[1]),
                     actor=sv.Actor("周敏", "office_staff", leader.org_code), at=now)
    with store.writes.begin() as session:
        session.connection().connection.cursor().execute(_INSERT, row_values(
            state["id"], state, version=1, server_version=1, updated_at=now))
    try:
        assert done[0] in read_ids()
    finally:
        with store.writes.begin() as session:
            session.execute(text("DELETE FROM supervisions WHERE id = 'follow-up-1'"))


def _plan(store, sql: str, params: dict) -> str:
    with store.engine.connect() as conn:
        return " ".join(str(r[-1]) for r in conn.execute(text(f"EXPLAIN QUERY PLAN {sql}"), params))


def test_migration_0018_adds_the_indexes_and_the_providers_use_them(busy):
    store, _users = busy
    assert migrate.HEAD == "0018" == migrate.current_revision(store.engine)
    org = {"org": "nanqiao", "today": "2026-11-30", "now": "2026-11-30 09:00:00", "limit": 100}
    meetings = _plan(store, "SELECT id, data FROM meetings WHERE (owner_org = :org OR party_orgs LIKE '%,' || :org "
                            f"|| ',%') AND status != 'cancelled' AND {workbench.MAY_GIVE_WORK} ORDER BY starts_at",
                     org)
    assert "ix_meetings_open_work" in meetings
    owing = _plan(store, f"SELECT count(*) FROM police_requests WHERE owner_org = :org AND "
                         f"{police_requests._TO_COMPLETE} AND status NOT IN ('draft', 'awaiting_approval')", org)
    assert "ix_police_requests_to_complete" in owing
    sent = _plan(store, "SELECT count(*), sum(next_due < :today) FROM referrals WHERE owner_org = :org "
                        "AND status IN ('submitted', 'received', 'accepted')", org)
    assert "COVERING INDEX ix_referrals_owner_open" in sent
    crimes = _plan(store, "SELECT count(*), sum(due_at < :now) FROM criminal_referrals WHERE receiving_org = :org "
                          "AND status IN ('sent', 'received')", org)
    assert "COVERING INDEX ix_criminal_referrals_receiving_status" in crimes


def test_a_store_at_0016_is_upgraded_with_its_rows_kept(tmp_path):
    from fx_desktop.paths import DataPaths

    paths = DataPaths.at(tmp_path / "data")
    store = open_store(paths)
    try:
        generate(store, 200, seed=4)
        other_records.fill(store, 120, seed=6, today=date.today())
        with store.engine.begin() as conn:
            for name in ("ix_referrals_owner_open", "ix_referrals_receiving_open", "ix_criminal_referrals_owner_status",
                         "ix_criminal_referrals_receiving_status", "ix_meetings_open_work",
                         "ix_police_requests_to_complete", "ix_supervisions_source_status",
                         "ix_police_requests_owner_status"):
                conn.execute(text(f"DROP INDEX {name}"))
            conn.execute(text("UPDATE alembic_version SET version_num = '0016'"))
            before = {t: conn.execute(text(f"SELECT count(*) FROM {t}")).scalar() for t in
                      ("referrals", "meetings", "police_requests", "criminal_referrals", "supervisions")}
    finally:
        store.close()
    store = open_store(paths)
    try:
        assert migrate.current_revision(store.engine) == "0018"
        with store.engine.connect() as conn:
            names = set(conn.execute(text("SELECT name FROM sqlite_master WHERE type = 'index'")).scalars())
            assert {"ix_meetings_open_work", "ix_police_requests_to_complete", "ix_referrals_owner_open"} <= names
            assert before == {t: conn.execute(text(f"SELECT count(*) FROM {t}")).scalar() for t in before}
            assert conn.execute(text(f"SELECT count(*) FROM meetings WHERE {workbench.MAY_GIVE_WORK}")).scalar() > 0
    finally:
        store.close()
