"""Read your own writes, official numbers, field merges and conflicts between two clients of one town."""
from __future__ import annotations

from fx_desktop.domain.lifecycle import CaseStatus
from fx_desktop.services import cases
from fx_desktop.store import outbox
from fx_desktop.store.models import Case
from fx_desktop.sync.engine import open_conflicts
from tests.conftest import case_draft


def _case(store, case_id):
    return cases.get_case(store, case_id)


def test_create_sync_other_client_sees_it_with_official_number(bureau, device):
    a, b = device(bureau, "zhang"), device(bureau, "li")
    made = cases.create_case(a.store, a.profile, case_draft(party_name="周立波"))
    assert made.number.startswith("临时编号")  # provisional until the server gives the official number
    report = a.sync()
    assert report.ok, report.summary()
    assert report.pushed == 1
    mine = _case(a.store, made.id)  # guarantee 4: the pull after the push reflects it
    assert mine.number.startswith("奉南桥综执立〔") and mine.number.endswith("号")
    b.sync()
    theirs = _case(b.store, made.id)
    assert theirs.number == mine.number
    assert theirs.values["party_name"] == "周立波"
    assert [o.cert_no for o in theirs.officers] == ["31200001", "31200002"]
    with a.store.sessions() as s:
        assert outbox.pending_count(s) == 0


def test_edits_to_different_fields_merge(bureau, device):
    a, b = device(bureau, "zhang"), device(bureau, "li")
    made = cases.create_case(a.store, a.profile, case_draft())
    a.sync()
    b.sync()
    ca, cb = _case(a.store, made.id), _case(b.store, made.id)
    cases.update_case(a.store, a.profile, made.id, case_draft(place="奉贤区南奉公路1号"), base_version=ca.version)
    cases.update_case(b.store, b.profile, made.id, case_draft(facts="补充：当事人已承认。"), base_version=cb.version)
    assert a.sync().ok and b.sync().ok and a.sync().ok
    for d in (a, b):
        v = _case(d.store, made.id).values
        assert (v["place"], v["facts"]) == ("奉贤区南奉公路1号", "补充：当事人已承认。")
    assert open_conflicts(a.store) == [] and open_conflicts(b.store) == []


def test_same_field_makes_one_conflict_with_both_values(bureau, device):
    a, b = device(bureau, "zhang"), device(bureau, "li")
    made = cases.create_case(a.store, a.profile, case_draft(place="原地址1号"))
    a.sync()
    b.sync()
    ca, cb = _case(a.store, made.id), _case(b.store, made.id)
    cases.update_case(a.store, a.profile, made.id, case_draft(place="甲地址2号"), base_version=ca.version)
    cases.update_case(b.store, b.profile, made.id, case_draft(place="乙地址3号"), base_version=cb.version)
    assert a.sync().ok
    report = b.sync()
    assert report.conflicts == 1
    assert a.sync().conflicts == 1  # the other side learns of it in its pull, counted once
    assert a.sync().conflicts == 0
    for d in (a, b):
        found = open_conflicts(d.store, made.id)
        assert len(found) == 1
        c = found[0]
        assert (c.field, c.base, c.mine, c.theirs) == ("place", "原地址1号", "乙地址3号", "甲地址2号")
        assert _case(d.store, made.id).values["place"] == "甲地址2号"  # the first value stays until resolved
    rows = bureau.sql("SELECT count(*) FROM conflicts WHERE case_id = :c", {"c": made.id})
    assert rows[0][0] == 1


def test_workflow_step_on_a_changed_state_is_rejected_with_reason(bureau, device):
    a, b = device(bureau, "zhang", "a"), device(bureau, "zhang", "b")
    made = cases.create_case(a.store, a.profile, case_draft())
    a.sync()
    b.sync()
    cases.change_status(a.store, a.profile, made.id, "file", expected_status=CaseStatus.CLUE)
    cases.change_status(b.store, b.profile, made.id, "not_file", expected_status=CaseStatus.CLUE)
    assert a.sync().ok
    report = b.sync()
    assert report.rejected == 1
    assert _case(b.store, made.id).status == CaseStatus.FILED  # the server's state, not last-writer-wins
    with b.store.sessions() as s:
        from sqlalchemy import select

        from fx_desktop.store.models import OutboxEntry

        row = s.execute(select(OutboxEntry).where(OutboxEntry.state == "rejected")).scalar_one()
        assert "立案" in row.reason and row.name == "transition_case"


def test_town_b_never_receives_town_a_cases(bureau, device):
    a, other = device(bureau, "zhang"), device(bureau, "wang")
    made = cases.create_case(a.store, a.profile, case_draft())
    a.sync()
    other.sync()
    with other.store.sessions() as s:
        assert s.get(Case, made.id) is None if False else s.query(Case).filter_by(id=made.id).count() == 0


def test_a_deleted_clue_reaches_others_as_a_tombstone_and_a_late_edit_makes_a_conflict(bureau, device):
    a, b = device(bureau, "zhang", "a"), device(bureau, "li", "b")
    made = cases.create_case(a.store, a.profile, case_draft(place="旧址"))
    a.sync()
    b.sync()
    cases.update_case(b.store, b.profile, made.id, case_draft(place="乙改"),
                      base_version=_case(b.store, made.id).version)
    cases.delete_clue(a.store, a.profile, made.id)
    assert a.sync().ok
    assert bureau.sql("SELECT count(*) FROM tombstones WHERE id = :i", {"i": made.id})[0][0] == 1
    report = b.sync()  # b's edit arrives after the delete: kept as a conflict, not silently lost
    assert report.conflicts == 1
    (conflict,) = open_conflicts(b.store, made.id)
    assert conflict.field == "__deleted__" and conflict.mine == {"place": "乙改"}
    b.sync()  # with nothing pending any more, the tombstone removes b's copy
    with b.store.sessions() as s:
        assert s.query(Case).filter_by(id=made.id).count() == 0


def test_a_restored_database_continues_under_a_new_client_id_without_losing_edits(bureau, device, tmp_path):
    import shutil

    a = device(bureau, "zhang", "restored")
    first = cases.create_case(a.store, a.profile, case_draft(party_name="备份前"))
    assert a.sync().ok
    a.store.engine.dispose()
    backup = tmp_path / "backup.sqlite"
    shutil.copyfile(a.paths.database, backup)  # a backup taken here ...
    cases.create_case(a.store, a.profile, case_draft(party_name="备份后"))
    assert a.sync().ok
    old_client = a.account.client_id
    a.store.engine.dispose()
    from fx_desktop.store.backups import restore_backup

    restore_backup(a.paths.database, backup)  # ... is restored: its mutation counter went backwards
    new = cases.create_case(a.store, a.profile, case_draft(party_name="恢复后"))
    report = a.sync()
    assert report.ok and report.resets == 1, report.summary()
    assert a.account.client_id != old_client
    names = sorted(r[0] for r in bureau.sql(
        "SELECT number FROM cases WHERE id IN (:x)", {"x": new.id}))
    assert len(names) == 1
    assert bureau.sql("SELECT count(*) FROM mutation_log WHERE client_id = :c", {"c": old_client})[0][0] == 2
    assert cases.get_case(a.store, first.id).values["party_name"] == "备份前"


def test_the_bureau_routes_a_clue_to_a_town_and_sees_every_town(bureau, device):
    town_a = device(bureau, "zhang")
    cases.create_case(town_a.store, town_a.profile, case_draft())
    assert town_a.sync().ok
    bureau_device, town_b = device(bureau, "diao"), device(bureau, "wang")
    routed = cases.create_case(bureau_device.store, bureau_device.profile, case_draft(party_name="区局转办"),
                               town_code="fengcheng")
    assert bureau_device.sync().ok
    town_b.sync()
    assert _case(town_b.store, routed.id).values["party_name"] == "区局转办"
    assert _case(town_b.store, routed.id).number.startswith("奉奉城综执立")
    with bureau_device.store.sessions() as s:  # the bureau pulls all towns, nanqiao's cases included
        towns = {t for (t,) in s.query(Case.town_code).distinct()}
    assert {"fengcheng", "nanqiao"} <= towns


def test_a_role_without_case_rights_is_refused_on_the_server_too(bureau):
    import uuid
    from datetime import datetime

    from fx_desktop.sync.transport import BureauClient
    from tests.support.bureau import PASSWORD

    client, cid = BureauClient(bureau.url), str(uuid.uuid4())
    client.login("reviewer", PASSWORD, cid, "t")
    from fx_desktop.domain.case_draft import clean_to_json, validate

    values, officers = clean_to_json(validate(case_draft()))
    answer = client.push(cid, [{"id": 1, "name": "create_case", "at": datetime.now().isoformat(), "args": {
        "case_id": str(uuid.uuid4()), "number": "x", "town_code": "nanqiao", "fields": values,
        "officers": officers}}], datetime.now().isoformat())
    assert answer["results"][0]["result"] == "rejected"
    assert "法制审核员" in answer["results"][0]["reason"]
