"""Pulled supervision sheets applied to a real SQLite store with hand-made pages (no server): a first pull onto the
responsible unit's device, the unit's pending report replayed over the office's chase, a pending step that no longer
applies kept pending (the server will say why), a tombstone kept while a step waits and applied once none does."""
from datetime import datetime

from fx_desktop.domain import supervision as sv
from fx_desktop.domain.organisations import OrgDirectory
from fx_desktop.domain.roles import Role
from fx_desktop.services import supervisions
from fx_desktop.store import outbox
from fx_desktop.store.models import Supervision
from fx_desktop.store.reference import shipped
from fx_desktop.sync.apply import apply_page
from tests.support.people import Person

NOW = datetime(2026, 3, 10, 9, 0)
ORGS = OrgDirectory.from_reference(shipped())
OFFICE = sv.Actor("王芳", "office_staff", "nanqiao")
UNIT = Person("u-gh", "李规划", Role.DEPARTMENT_LIAISON, None, "ghzy")
SHEET_ID = "3f2c7d9e-1111-4a5b-9c1d-000000000009"


def issued(deadline: str = "2026-03-12") -> dict:
    state = sv.issue({"supervision_id": SHEET_ID, "matter": "拆除违法搭建", "deadline": deadline},
                     owner=ORGS.require("nanqiao"), responsible=ORGS.require("ghzy"), actor=OFFICE, at=NOW)
    state["number"] = "奉南桥督办〔2026〕1号"
    return state


def row(data: dict, version: int) -> dict:
    source = data.get("source") or {}
    return {"type": "supervision", "seq": version, "id": data["id"], "version": version,
            "owner_org": data["owner_org"], "responsible_org": data["responsible_org"],
            "source_kind": source.get("kind"), "source_id": source.get("id"), "source_item": source.get("item"),
            "number": data["number"], "matter": data["matter"], "deadline": data["deadline"],
            "status": data["status"], "updated_at": NOW.isoformat(), "data": data}


def pull(store, changes, cursor="e:1"):
    with store.writes.begin() as s:
        return apply_page(s, changes, cursor, cursor_key="sync.cursor:x", actor="sync", now=NOW)


def pending(store) -> list[str]:
    with store.sessions() as s:
        return [e.name for e in outbox.pending(s) if e.kind == "supervision"]


def test_a_pending_report_is_replayed_over_the_offices_chase(store):
    state = issued()
    pull(store, [row(state, 1)])
    assert [s.id for s in supervisions.sheets(store, UNIT, today=NOW.date())] == [SHEET_ID]
    supervisions.sign(store, UNIT, SHEET_ID, now=NOW.replace(minute=5))
    supervisions.report(store, UNIT, SHEET_ID, text="已拆除", expected_status="in_progress", now=NOW.replace(minute=9))
    urged = sv.urge(state, {"note": "请抓紧"}, actor=OFFICE, at=NOW.replace(minute=7))
    result = pull(store, [row(urged, 2)], "e:2")
    assert SHEET_ID in result.rebased
    seen = supervisions.get(store, SHEET_ID, today=NOW.date())
    assert seen.status == "reported" and seen.data["urged"] == ["2026-03-10"] and not seen.synced
    assert [h["step"] for h in seen.history] == ["issue_supervision", "urge_supervision", "sign_supervision",
                                                 "report_supervision"]
    assert pending(store) == ["sign_supervision", "report_supervision"]


def test_a_step_that_no_longer_applies_stays_pending_and_a_tombstone_waits(store):
    state = issued()
    pull(store, [row(state, 1)])
    supervisions.sign(store, UNIT, SHEET_ID, now=NOW)
    withdrawn = sv.withdraw(state, {"reason": "会议另行安排"}, actor=OFFICE, at=NOW)
    pull(store, [row(withdrawn, 2)], "e:2")
    seen = supervisions.get(store, SHEET_ID, today=NOW.date())
    assert seen.status == "withdrawn" and pending(store) == ["sign_supervision"]
    pull(store, [{"type": "tombstone", "seq": 3, "entity": "supervision", "id": SHEET_ID}], "e:3")
    assert supervisions.get(store, SHEET_ID).status == "withdrawn"  # kept: a step of this device waits
    with store.writes.begin() as s:
        for entry in outbox.pending(s):
            s.delete(entry)
    pull(store, [{"type": "tombstone", "seq": 4, "entity": "supervision", "id": SHEET_ID}], "e:4")
    with store.sessions() as s:
        assert s.get(Supervision, SHEET_ID) is None
