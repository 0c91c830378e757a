"""Found by the model-based test (test_sync_model.py): a conflict resolved offline must not silently overwrite an
edit of the same field that reached the server after the conflict arose. The person chose between the two
values they saw; the newer one they never saw is kept as a new conflict, on both devices."""
from __future__ import annotations

import json

from fx_desktop.services import cases, conflicts
from fx_desktop.sync.engine import SyncReport
from tests.conftest import case_draft


def _set(device, case_id: str, field: str, value: str) -> None:
    record = cases.get_case(device.store, case_id)
    draft = record.draft()
    setattr(draft, field, value)
    cases.update_case(device.store, device.profile, case_id, draft, base_version=record.version)


def test_a_resolution_made_offline_does_not_overwrite_a_newer_edit(bureau, device):
    a1, a2 = device(bureau, "zhang"), device(bureau, "li")
    case_id = cases.create_case(a1.store, a1.profile, case_draft()).id
    a1.sync(), a2.sync()
    _set(a1, case_id, "place", "甲的地点")
    _set(a2, case_id, "place", "乙的地点")
    a1.sync(), a2.sync(), a1.sync()
    (clash,) = conflicts.open_conflicts_for(a1.store, case_id)
    conflicts.resolve_conflict(a1.store, a1.profile, clash.id, "乙的地点")  # a1 takes a2's value, offline
    _set(a2, case_id, "place", "乙后来改的地点")  # a2 changes the field again and syncs first
    assert a2.sync().ok
    assert a1.sync().ok and a2.sync().ok and a1.sync().ok

    fields = bureau.sql("SELECT CAST(fields AS TEXT) FROM cases WHERE id = :i", {"i": case_id})[0][0]
    place = json.loads(fields)["place"]
    rows = bureau.sql("SELECT CAST(mine AS TEXT), CAST(theirs AS TEXT) FROM conflicts "
                      "WHERE case_id = :i AND status = 'open'", {"i": case_id})
    sides = [{json.loads(mine), json.loads(theirs)} for mine, theirs in rows]
    assert place == "乙后来改的地点" or {"乙的地点", "乙后来改的地点"} in sides, (place, sides)
    for d in (a1, a2):  # the clash is shown on both devices, with both values
        shown = [{c.mine, c.theirs} for c in conflicts.open_conflicts_for(d.store, case_id)]
        assert {"乙的地点", "乙后来改的地点"} in shown, shown


def test_an_edit_that_only_clashes_leaves_the_device_with_the_servers_copy(bureau, device):
    """Found while fixing the above: the user edits while a sync runs (after its push, before its pull), so the
    pull rebases the edit onto the server's newer copy. The next push makes only a conflict; the device must then
    show the server's value with the conflict beside it, not keep its own value for good."""
    a1, a2 = device(bureau, "zhang"), device(bureau, "li")
    case_id = cases.create_case(a1.store, a1.profile, case_draft()).id
    a1.sync(), a2.sync()
    _set(a1, case_id, "place", "甲的地点")
    assert a1.sync().ok
    engine = a2.engine()
    report = SyncReport()
    engine.push(report)  # nothing to push yet
    _set(a2, case_id, "place", "乙的地点")  # saved while the sync runs
    engine.pull(report)  # brings 甲的地点; the pending edit is replayed on top
    assert a2.sync().ok and a2.sync().ok

    assert cases.get_case(a2.store, case_id).values["place"] == "甲的地点"
    (clash,) = conflicts.open_conflicts_for(a2.store, case_id)
    assert {clash.mine, clash.theirs} == {"甲的地点", "乙的地点"}
