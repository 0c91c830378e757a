"""Pulled meeting rows applied to a real SQLite store with hand-made pages (no server): the office staff's pending
edit of the minutes replayed over a department's comment the server took first, a pending sign-off that no longer
applies (the meeting was cancelled on another device meanwhile) kept pending for the server to say why, a tombstone
kept while a step waits, and a first pull of a department's store."""
from datetime import datetime

from fx_desktop.domain import meeting as mt
from fx_desktop.domain.organisations import OrgDirectory
from fx_desktop.domain.roles import Role
from fx_desktop.services import meetings
from fx_desktop.services.profile import Profile
from fx_desktop.store import outbox
from fx_desktop.store.reference import shipped
from fx_desktop.sync.apply import apply_page
from tests.support.people import Person

NOW = datetime(2026, 11, 20, 9, 0)
ORGS = OrgDirectory.from_reference(shipped())
STAFF = Profile("u-staff", "王芳", Role.OFFICE_STAFF, "nanqiao")
TOWN = mt.Actor("王芳", "office_staff", "nanqiao")
PLANNING = mt.Actor("刘科长", "department_liaison", "ghzy")
LIAISON = Person("u-liu", "刘科长", Role.DEPARTMENT_LIAISON, None, "ghzy")
ITEM = {"matter": "拆除违法搭建", "lead_org": "ghzy", "supporting_orgs": [], "deadline": "2026-12-31"}


def row(meeting_id: str, data: dict, version: int) -> dict:
    return {"type": "meeting", "seq": version, "id": meeting_id, "version": version, "owner_org": data["owner_org"],
            "kind": data["kind"], "number": data["number"], "title": data["title"], "starts_at": data["starts_at"],
            "status": data["status"], "updated_at": NOW.isoformat(), "data": data}


def pull(store, changes, cursor="e:1"):
    with store.writes.begin() as s:
        return apply_page(s, changes, cursor, cursor_key="sync.cursor:x", actor="sync", now=NOW)


def pending(store) -> list[str]:
    with store.sessions() as s:
        return [e.name for e in outbox.pending(s) if e.kind == "meeting"]


def circulated(store):
    m = meetings.create(store, STAFF, {"kind": "regular", "title": "协调会", "starts_at": "2026-11-25T09:00",
                                       "place": "会议室", "invitees": [{"org": "ghzy", "name": "刘科长"}]}, now=NOW)
    m = meetings.write_minutes(store, STAFF, m.id, intro="会议议定：", items=[ITEM], now=NOW)
    m = meetings.circulate(store, STAFF, m.id, now=NOW)
    with store.writes.begin() as s:  # pushed: those three are on the server now
        for entry in outbox.pending(s):
            entry.state = "applied"
    return m


def test_a_pending_edit_is_replayed_over_the_departments_comment(store):
    m = circulated(store)
    server = {**m.data, "number": "〔2026〕第1期"}
    pull(store, [row(m.id, server, 3)])
    meetings.write_minutes(store, STAFF, m.id, intro="2026年11月25日，会议议定：", now=NOW.replace(minute=5))
    commented = mt.comment(server, {"text": "同意"}, actor=PLANNING, at=NOW.replace(minute=3))
    result = pull(store, [row(m.id, commented, 4)], "e:2")
    assert m.id in result.rebased
    seen = meetings.get(store, m.id)
    assert seen.minutes["intro"] == "2026年11月25日，会议议定：" and seen.minutes["comments"][0]["text"] == "同意"
    assert not seen.synced and pending(store) == ["write_minutes"]


def test_a_sign_off_that_no_longer_applies_stays_pending_and_a_tombstone_waits(store):
    m = circulated(store)
    server = {**m.data, "number": "〔2026〕第1期"}
    pull(store, [row(m.id, server, 3)])
    meetings.sign(store, STAFF, m.id, expected_version=1, now=NOW.replace(minute=5))
    cancelled = mt.apply_step("cancel_meeting", server, {"reason": "改期"}, actor=TOWN,
                              at=NOW.replace(minute=4), known=ORGS.get)
    pull(store, [row(m.id, cancelled, 4)], "e:2")
    seen = meetings.get(store, m.id)
    assert seen.status == "cancelled" and pending(store) == ["sign_minutes"]
    pull(store, [{"type": "tombstone", "seq": 5, "entity": "meeting", "id": m.id}], "e:3")
    assert meetings.get(store, m.id).status == "cancelled"  # kept: a step of this device waits


def test_a_departments_first_pull_shows_the_meetings_it_is_invited_to(store):
    state = mt.create({"kind": "topic", "title": "专题会", "invitees": [{"org": "ghzy", "name": "刘科长"}]},
                      owner=ORGS.require("nanqiao"), actor=TOWN, at=NOW, known=ORGS.get)
    other = mt.create({"kind": "topic", "title": "他会", "invitees": [{"org": "sw", "name": "某"}]},
                      owner=ORGS.require("nanqiao"), actor=TOWN, at=NOW, known=ORGS.get)
    ids = ("3f2c7d9e-1111-4a5b-9c1d-000000000001", "3f2c7d9e-1111-4a5b-9c1d-000000000002")
    result = pull(store, [row(ids[0], state, 1), row(ids[1], other, 1)])
    assert result.received == 2
    assert [r.title for r in meetings.meetings(store, LIAISON)] == ["专题会"]
