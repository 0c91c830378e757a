import pytest

from fx_desktop.domain.errors import DomainError
from fx_desktop.domain.roles import Role


def test_values_and_labels():
    assert [r.value for r in Role] == [
        "officer", "squad_leader", "legal_reviewer", "office_staff",
        "bureau_dispatcher", "department_liaison", "police_liaison", "admin",
    ]
    assert [r.label for r in Role] == [
        "执法队员", "中队长", "法制审核员", "内勤", "区城管执法局调度员", "行业管理部门联络员", "公安联络员",
        "系统管理员",
    ]
    assert Role("officer") is Role.OFFICER and Role.OFFICER == "officer"


@pytest.mark.parametrize("role", list(Role))
def test_from_label_round_trip(role):
    assert Role.from_label(role.label) is role
    assert Role.from_label(f" {role.label} ") is role


def test_from_label_unknown():
    with pytest.raises(DomainError) as exc:
        Role.from_label("局长")
    assert "局长" in exc.value.message and "中队长" in exc.value.message
