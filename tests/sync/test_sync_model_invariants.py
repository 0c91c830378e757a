"""The invariants of the model-based sync test (tests/support/sync_model.py) for meetings, consultation items and
the roster say no when they should: hand-made server and device states, no server, no store. A check that could
never fail would let the model test pass whatever the sync did."""
from __future__ import annotations

from types import SimpleNamespace

from tests.support.sync_model import (DeviceState, Model, ServerState, _device_matches_server, _nothing_lost,
                                      _parties_as_named, _versions_explained, audience)

TOWN, OTHER, DEPT = "nanqiao", "fengcheng", "scjg"
OFFICE = SimpleNamespace(org_kind="town", org_code=TOWN, town_code=TOWN, client_id="c-office")
OTHER_TOWN = SimpleNamespace(org_kind="town", org_code=OTHER, town_code=OTHER, client_id="c-other")
LIAISON = SimpleNamespace(org_kind="department", org_code=DEPT, town_code=None, client_id="c-dept")
BUREAU = SimpleNamespace(org_kind="bureau", org_code="bureau", town_code=None, client_id="c-bureau")


def _meeting(version=3, minutes_items=(), previous_items=(), invitees=(DEPT,)):
    data = {"owner_org": TOWN, "status": "held", "invitees": [{"org": o, "name": "x"} for o in invitees],
            "minutes": {"items": [{"lead_org": o, "supporting_orgs": []} for o in minutes_items],
                        "previous": [{"items": [{"lead_org": o, "supporting_orgs": []} for o in previous_items]}]},
            "shared_with": sorted({*invitees, *minutes_items, *previous_items})}
    return {"owner": TOWN, "number": "〔2026〕第1期", "status": "held", "version": version, "data": data,
            "parties": audience("meeting", data)}


def _item(version=1):
    data = {"owner_org": TOWN, "units": [DEPT], "status": "open", "shared_with": [DEPT]}
    return {"owner": TOWN, "case_id": None, "status": "open", "version": version, "data": data, "parties": {DEPT}}


def _entry(version=1):
    return {"owner": TOWN, "active": True, "version": version, "data": {"owner_org": TOWN, "name": "队员1"}}


def _log(record_id, name, kind, n, result="applied"):
    return {("c-office", i + 1): {"result": result, "reason": None if result == "applied" else "不行",
                                  "case_id": record_id, "kind": kind, "name": name} for i in range(n)}


def _server(**rows) -> ServerState:
    server = ServerState({}, {}, {}, {}, {})
    server.meetings = rows.get("meetings", {})
    server.items = rows.get("items", {})
    server.roster = rows.get("roster", {})
    server.log = rows.get("log", {})
    return server


def _device(**rows) -> DeviceState:
    return DeviceState({}, {}, {}, meetings=rows.get("meetings", {}), items=rows.get("items", {}),
                       roster=rows.get("roster", {}))


def _matching(account, server, device) -> list[str]:
    return _device_matches_server("dev", account, device, server) + _parties_as_named(server)


def test_the_audience_is_the_invited_and_the_units_an_agreed_item_names_in_any_version():
    assert audience("meeting", _meeting(minutes_items=("ghzy",), previous_items=("sw", TOWN))["data"]) == {
        DEPT, "ghzy", "sw"}
    assert audience("consultation_item", _item()["data"]) == {DEPT}
    assert audience("roster_entry", _entry()["data"]) == set()


def test_devices_equal_to_the_server_pass():
    server = _server(meetings={"m1": _meeting()}, items={"i1": _item()}, roster={"e1": _entry()})
    town = _device(meetings={"m1": _meeting()}, items={"i1": _item()}, roster={"e1": _entry()})
    assert _matching(OFFICE, server, town) == []
    assert _matching(BUREAU, server, town) == []
    assert _matching(LIAISON, server, _device(meetings={"m1": _meeting()}, items={"i1": _item()})) == []
    assert _matching(OTHER_TOWN, server, _device()) == []


def test_the_department_holding_the_towns_roster_is_a_problem():
    server = _server(roster={"e1": _entry()})
    found = _matching(LIAISON, server, _device(roster={"e1": _entry()}))
    assert len(found) == 1 and "has roster entry e1" in found[0] and "for nanqiao" in found[0]


def test_another_town_holding_a_meeting_it_was_not_invited_to_is_a_problem():
    server = _server(meetings={"m1": _meeting()})
    assert "has meeting m1" in " ".join(_matching(OTHER_TOWN, server, _device(meetings={"m1": _meeting()})))


def test_a_party_lacking_the_meeting_or_item_is_a_problem():
    server = _server(meetings={"m1": _meeting(minutes_items=("ghzy",), invitees=())}, items={"i1": _item()})
    ghzy = SimpleNamespace(org_kind="department", org_code="ghzy", town_code=None, client_id="c-ghzy")
    assert "lacks meeting m1" in " ".join(_matching(ghzy, server, _device()))
    assert "lacks consultation item i1" in " ".join(_matching(LIAISON, server, _device(meetings={})))


def test_a_device_behind_the_server_is_a_problem():
    server = _server(meetings={"m1": _meeting(version=4)})
    found = _matching(LIAISON, server, _device(meetings={"m1": _meeting(version=3)}))
    assert len(found) == 1 and "differs from the server" in found[0] and "'version': (3, 4)" in found[0]


def test_server_parties_other_than_the_state_names_are_a_problem():
    extra = _meeting()
    extra["parties"] = {DEPT, OTHER}
    missing = _item()
    missing["parties"] = set()
    found = _parties_as_named(_server(meetings={"m1": extra}, items={"i1": missing}))
    assert len(found) == 2 and "meeting m1" in found[0] and "consultation_item i1" in found[1]


def test_a_version_no_logged_mutation_explains_is_a_problem():
    server = _server(meetings={"m1": _meeting(version=3)}, roster={"e1": _entry(version=2)},
                     log={**_log("m1", "write_minutes", "meeting", 2)})
    found = _versions_explained(server)
    assert sorted(found) == ["meeting m1 is at version 3 but only 2 mutations were applied to it",
                             "roster entry e1 is at version 2 but only 0 mutations were applied to it"]
    server.log = {**_log("m1", "write_minutes", "meeting", 3)}
    server.roster = {"e1": _entry(version=1)}
    server.log[("c-other", 1)] = {"result": "applied", "reason": None, "case_id": "e1", "kind": "roster_entry",
                                  "name": "add_roster_entry"}
    assert _versions_explained(server) == []


def test_a_created_record_missing_from_the_server_is_lost_unless_refused():
    model = Model(meetings={"m1": "a3"}, items={"i1": "a3"}, roster={"e1": "a1"})
    found = _nothing_lost(model, _server(log=_log("i1", "create_consultation_item", "consultation_item", 1,
                                                  result="rejected")))
    assert sorted(found) == ["meeting m1 created on a3 is not on the server and its creation was not rejected",
                             "roster entry e1 created on a1 is not on the server and its creation was not rejected"]
