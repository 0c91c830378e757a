"""Organisations as reference data: the shipped list, an older reference without one, and the roles by kind."""
import pytest

from fx_desktop.domain.errors import DomainError
from fx_desktop.domain.organisations import OrgDirectory, OrgKind, check_role, organisations_from_reference
from fx_desktop.domain.roles import Role
from fx_desktop.store.reference import shipped


def test_shipped_list_has_every_kind_the_policy_names():
    orgs = OrgDirectory.from_reference(shipped())
    assert len(orgs.of_kind(OrgKind.TOWN)) == 12
    assert [o.code for o in orgs.of_kind(OrgKind.BUREAU)] == ["cgzf"]
    assert orgs.require("gafj").kind == OrgKind.POLICE_BUREAU
    stations = orgs.of_kind(OrgKind.POLICE_STATION)
    assert len(stations) == 12 and {s.parent for s in stations} == {"gafj"}
    assert orgs.require("jcy").kind == OrgKind.PROCURATORATE
    assert {"sfj", "ghzy", "sthj", "scjg", "zzb"} <= {o.code for o in orgs.of_kind(OrgKind.DEPARTMENT)}
    assert orgs.require("nanqiao").short_name == "奉南桥"


def test_older_reference_derives_organisations_from_towns_and_departments():
    data = {"towns": [{"code": "t1", "name": "甲镇", "agency_code": "奉甲"}],
            "departments": [{"code": "cgzf", "name": "区城管执法局"}, {"code": "d1", "name": "区某局"}]}
    orgs = OrgDirectory.from_reference(data)
    assert orgs.require("t1").kind == OrgKind.TOWN and orgs.require("t1").short_name == "奉甲"
    assert orgs.require("cgzf").kind == OrgKind.BUREAU and orgs.require("d1").kind == OrgKind.DEPARTMENT


@pytest.mark.parametrize("orgs, words", [
    ([{"code": "a", "name": "甲", "kind": "bureau"}, {"code": "a", "name": "乙", "kind": "town"}], "重复"),
    ([{"code": "a", "name": "甲", "kind": "bureau"}, {"code": "b", "name": "乙", "kind": "space"}], "类型"),
    ([{"code": "a", "name": "甲", "kind": "bureau"}, {"code": "b", "name": "乙", "kind": "town", "parent": "x"}],
     "上级"),
    ([{"code": "b", "name": "乙", "kind": "town"}], "bureau"),
])
def test_bad_lists_say_what_to_fix(orgs, words):
    with pytest.raises(DomainError) as err:
        organisations_from_reference({"organisations": orgs})
    assert words in err.value.message


def test_a_town_of_the_reference_must_be_a_town_organisation():
    with pytest.raises(DomainError, match="南桥镇"):
        organisations_from_reference({"towns": [{"code": "nanqiao", "name": "南桥镇"}],
                                      "organisations": [{"code": "cgzf", "name": "区城管执法局", "kind": "bureau"}]})


def test_roles_depend_on_the_kind_of_organisation():
    orgs = OrgDirectory.from_reference(shipped())
    assert check_role(orgs.require("nanqiao"), "legal_reviewer") == Role.LEGAL_REVIEWER
    assert check_role(orgs.require("scjg"), "department_liaison") == Role.DEPARTMENT_LIAISON
    assert check_role(orgs.require("pcs_nanqiao"), "police_liaison") == Role.POLICE_LIAISON
    with pytest.raises(DomainError, match="行业管理部门联络员"):
        check_role(orgs.require("scjg"), "officer")
    with pytest.raises(DomainError, match="执法队员"):
        check_role(orgs.require("nanqiao"), "department_liaison")
    with pytest.raises(DomainError):
        check_role(orgs.require("cgzf"), "officer")
