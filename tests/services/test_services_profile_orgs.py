"""Users belong to organisations: the roles each kind allows, a profile stored before organisations, and what a
department (or the police, or the procuratorate) may do with the towns' cases here: nothing."""
import json
from datetime import datetime

import pytest

from fx_desktop.domain.errors import DomainError
from fx_desktop.domain.lifecycle import CaseStatus
from fx_desktop.domain.organisations import OrgKind
from fx_desktop.domain.roles import Role
from fx_desktop.services import cases, legal_review
from fx_desktop.services.organisations import directory, pick_list
from fx_desktop.services.profile import Profile, load_profile, save_profile
from fx_desktop.services.review_rules import review_rules
from fx_desktop.store import meta
from fx_desktop.store.case_queries import CaseFilter, CaseQueries
from fx_desktop.store.models import User
from fx_desktop.sync.digest import local_digest

NOW = datetime(2026, 3, 10, 9, 0)
LEADER = Profile("u-leader", "张伟", Role.SQUAD_LEADER, "nanqiao")
DISPATCHER = Profile("u-d", "周敏", Role.BUREAU_DISPATCHER, None)
LIAISON = Profile("u-scjg", "孙丽", Role.DEPARTMENT_LIAISON, None, "scjg", OrgKind.DEPARTMENT)
POLICE = Profile("u-pcs", "刘强", Role.POLICE_LIAISON, None, "pcs_nanqiao", OrgKind.POLICE_STATION)


@pytest.mark.parametrize("org_code, kind, allowed, refused", [
    ("nanqiao", OrgKind.TOWN, [Role.OFFICER, Role.SQUAD_LEADER, Role.LEGAL_REVIEWER, Role.OFFICE_STAFF],
     Role.DEPARTMENT_LIAISON),
    ("scjg", OrgKind.DEPARTMENT, [Role.DEPARTMENT_LIAISON], Role.OFFICER),
    ("jcy", OrgKind.PROCURATORATE, [Role.DEPARTMENT_LIAISON], Role.POLICE_LIAISON),
    ("gafj", OrgKind.POLICE_BUREAU, [Role.POLICE_LIAISON], Role.DEPARTMENT_LIAISON),
    ("pcs_nanqiao", OrgKind.POLICE_STATION, [Role.POLICE_LIAISON], Role.SQUAD_LEADER),
    ("cgzf", OrgKind.BUREAU, [Role.BUREAU_DISPATCHER, Role.ADMIN], Role.LEGAL_REVIEWER),
])
def test_roles_each_kind_of_organisation_allows(store, org_code, kind, allowed, refused):
    for role in allowed:
        saved = save_profile(store, name="王磊", role=role, org_code=org_code)
        assert (saved.org_code, saved.org_kind, saved.role) == (org_code, kind, role)
        assert saved.town_code == (org_code if kind == OrgKind.TOWN else None)
        assert load_profile(store) == saved
    with pytest.raises(DomainError) as exc:
        save_profile(store, name="王磊", role=refused, org_code=org_code)
    assert exc.value.field == "role" and refused.label in exc.value.message
    assert all(r.label in exc.value.message for r in allowed)  # says what to choose instead
    assert load_profile(store).role == allowed[-1]  # the refused one changed nothing


def test_unknown_or_missing_organisation_is_named(store):
    with pytest.raises(DomainError) as exc:
        save_profile(store, name="王磊", role=Role.OFFICER, org_code="atlantis")
    assert exc.value.field == "org" and "atlantis" in exc.value.message and "单位名单" in exc.value.message
    with pytest.raises(DomainError) as exc:
        save_profile(store, name="王磊", role=Role.DEPARTMENT_LIAISON, org_code=None)
    assert exc.value.field == "org" and "请选择" in exc.value.message
    with pytest.raises(DomainError) as exc:  # the older keyword names a town: a department is not one
        save_profile(store, name="王磊", role=Role.DEPARTMENT_LIAISON, town_code="scjg")
    assert exc.value.field == "town" and "街镇名单" in exc.value.message
    assert load_profile(store) is None


def test_the_users_row_names_the_organisation(store):
    saved = save_profile(store, name="孙丽", role=Role.DEPARTMENT_LIAISON, org_code="scjg")
    with store.sessions() as s:
        row = s.get(User, saved.user_id)
        assert (row.org_code, row.town_code, row.role) == ("scjg", None, "department_liaison")
    town = save_profile(store, name="张伟", role=Role.SQUAD_LEADER, town_code="nanqiao")  # older keyword
    with store.sessions() as s:
        row = s.get(User, town.user_id)
        assert (row.org_code, row.town_code) == ("nanqiao", "nanqiao")
    bureau = save_profile(store, name="周敏", role=Role.BUREAU_DISPATCHER, town_code=None)
    assert (bureau.org_code, bureau.org_kind, bureau.town_code) == ("cgzf", OrgKind.BUREAU, None)


@pytest.mark.parametrize("stored, org_code, kind", [
    ({"user_id": "u1", "name": "张伟", "role": "squad_leader", "town_code": "nanqiao"}, "nanqiao", OrgKind.TOWN),
    ({"user_id": "u2", "name": "周敏", "role": "bureau_dispatcher", "town_code": None}, "cgzf", OrgKind.BUREAU),
])
def test_a_profile_stored_before_organisations_loads_with_its_organisation(store, stored, org_code, kind):
    with store.writes.begin() as s:
        meta.put(s, "profile", json.dumps(stored, ensure_ascii=False))
    loaded = load_profile(store)
    assert (loaded.user_id, loaded.town_code, loaded.org_code, loaded.org_kind) == (
        stored["user_id"], stored["town_code"], org_code, kind)
    assert loaded.sees_all == (kind == OrgKind.BUREAU)
    assert loaded == Profile(stored["user_id"], stored["name"], Role(stored["role"]), stored["town_code"])


def test_profile_scope_by_kind():
    assert LEADER.sees_town("nanqiao") and not LEADER.sees_town("fengcheng") and LEADER.case_towns == ("nanqiao",)
    assert DISPATCHER.sees_town("fengcheng") and DISPATCHER.case_towns is None
    for outsider in (LIAISON, POLICE):
        assert not outsider.sees_all and outsider.town_code is None and outsider.case_towns == ()
        assert not outsider.sees_town("nanqiao") and not outsider.sees_town(None)
    with pytest.raises(ValueError):
        Profile("u", "某", Role.DEPARTMENT_LIAISON, None, "scjg")  # a department's kind cannot be guessed


def test_directory_lists_every_kind_towns_first(store):
    orgs = directory(store)
    assert orgs.require("scjg").name == "区市场监管局" and orgs.require("pcs_nanqiao").parent == "gafj"
    assert [o.code for o in orgs.of_kind(OrgKind.PROCURATORATE)] == ["jcy"]
    kinds = [o.kind for o in pick_list(orgs)]
    assert kinds[0] == OrgKind.TOWN and kinds[-1] == OrgKind.PROCURATORATE
    assert kinds == sorted(kinds, key=[OrgKind.TOWN, OrgKind.BUREAU, OrgKind.DEPARTMENT, OrgKind.POLICE_BUREAU,
                                       OrgKind.POLICE_STATION, OrgKind.PROCURATORATE].index)
    assert [o.code for o in pick_list(orgs)][:2] == ["nanqiao", "fengcheng"]  # the reference's order
    with pytest.raises(DomainError, match="不在单位名单中"):
        orgs.require("atlantis")


def _register(store, actor: Profile, **filters) -> tuple[int, list]:
    queries = CaseQueries(store.engine)
    try:
        query, total = queries.prepare(CaseFilter(owner_towns=cases.register_towns(actor), **filters))
        return total, queries.page(query, limit=50)
    finally:
        queries.close()


def test_a_department_sees_no_case_and_may_not_register_or_change_one(store, make_draft):
    made = cases.create_case(store, LEADER, make_draft(), now=NOW)
    cases.create_case(store, DISPATCHER, make_draft(party_name="王二"), town_code="fengcheng", now=NOW)
    reviewed = cases.create_case(store, LEADER, make_draft(proposed_penalty="罚款", proposed_amount="20000"), now=NOW)
    status = CaseStatus.CLUE
    for action in ("file", "start_investigation", "close_investigation", "notify"):
        status = cases.change_status(store, LEADER, reviewed.id, action, expected_status=status, now=NOW).status
    legal_review.submit(store, LEADER, reviewed.id, materials=["case_file", "officer_opinion", "draft_decision",
                                                                "request_report"], report="提请法制审核。", now=NOW)
    assert _register(store, LEADER)[0] == 3 and _register(store, DISPATCHER)[0] == 3
    assert len(legal_review.queue(store, DISPATCHER)) == 1
    for outsider in (LIAISON, POLICE):
        assert _register(store, outsider) == (0, [])
        assert _register(store, outsider, text="李建国") == (0, [])  # a text search as well
        assert _register(store, outsider, status="clue", town_code="nanqiao") == (0, [])
        with pytest.raises(DomainError) as exc:
            cases.create_case(store, outsider, make_draft(), town_code="nanqiao", now=NOW)
        assert "不能登记案件" in exc.value.message  # their role registers nothing
        record = cases.get_case(store, made.id)
        assert "不办理街镇的案件" in cases.read_only_reason(record, outsider)
        assert cases.available_actions(record, outsider, review_rules(store)) == []
        assert legal_review.queue(store, outsider, pending_only=False) == []
    # Even a town role given to a department's user by hand is refused by the organisation, not only the role.
    misfiled = Profile("u-x", "某", Role.SQUAD_LEADER, None, "scjg", OrgKind.DEPARTMENT)
    with pytest.raises(DomainError, match="不办理街镇的案件"):
        cases.create_case(store, misfiled, make_draft(), town_code="nanqiao", now=NOW)
    with pytest.raises(DomainError, match="不办理街镇的案件"):
        cases.update_case(store, misfiled, made.id, make_draft(place="别处"), base_version=1, now=NOW)
    with pytest.raises(DomainError, match="不办理街镇的案件"):
        cases.change_status(store, misfiled, made.id, "file", expected_status=CaseStatus.CLUE, now=NOW)
    assert cases.get_case(store, made.id).version == 1 and cases.get_case(store, made.id).status is CaseStatus.CLUE


def test_digest_counts_only_the_cases_the_user_sees(store, make_draft):
    made = cases.create_case(store, LEADER, make_draft(), now=NOW)
    other = cases.create_case(store, DISPATCHER, make_draft(party_name="王二"), town_code="fengcheng", now=NOW)
    with store.writes.begin() as s:
        s.connection().exec_driver_sql("UPDATE cases SET server_version = 1")
    with store.sessions() as s:
        assert local_digest(s, DISPATCHER.case_towns)["count"] == 2
        assert local_digest(s, LEADER.case_towns)["count"] == 1
        assert local_digest(s, "nanqiao") == local_digest(s, LEADER.case_towns)  # the older form: one town
        assert local_digest(s, LIAISON.case_towns) == local_digest(s, ())
        assert local_digest(s, LIAISON.case_towns)["count"] == 0
    assert made.id != other.id


def test_the_register_model_follows_the_profile(qtbot, store, make_draft):
    from fx_desktop.views.case_table_model import CaseTableModel

    cases.create_case(store, LEADER, make_draft(), now=NOW)
    model = CaseTableModel(CaseQueries(store.engine), {}, owner_towns=cases.register_towns(LIAISON))
    model.reload()
    assert model.rowCount() == 0 and model.total == 0
    model.set_owner_towns(cases.register_towns(LEADER))
    assert model.rowCount() == 1 and model.total == 1
    model.queries.close()
