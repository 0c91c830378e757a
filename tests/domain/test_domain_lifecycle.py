from itertools import product

import pytest

from fx_desktop.domain.errors import DomainError
from fx_desktop.domain.lifecycle import (
    TRANSITIONS,
    CaseStatus,
    Transition,
    allowed_transitions,
    apply_transition,
    get_transition,
)
from fx_desktop.domain.roles import Role

S = CaseStatus
FLAGS = [dict(major=m, review_passed=r) for m, r in product([False, True], repeat=2)]


def message(status, action, role, **flags) -> str:
    with pytest.raises(DomainError) as exc:
        apply_transition(status, action, role, **flags)
    return exc.value.message


def test_status_labels_and_terminal():
    assert [s.label for s in S] == [
        "线索登记", "立案", "调查取证", "调查终结", "事先告知", "法制审核", "集体讨论",
        "决定", "送达", "执行", "结案", "移送", "不予立案", "撤销",
    ]
    assert {s for s in S if s.is_terminal} == {S.CLOSED, S.REFERRED, S.NOT_FILED, S.REVOKED}


def test_table_is_well_formed():
    assert len({t.action for t in TRANSITIONS}) == len(TRANSITIONS)
    for t in TRANSITIONS:
        assert isinstance(t, Transition) and t.label and t.source and t.roles
        assert not any(s.is_terminal for s in t.source)
        assert t.target not in t.source
        assert get_transition(t.action) is t
    with pytest.raises(DomainError, match="没有“fly”这一办案操作"):
        get_transition("fly")


def test_main_path_for_major_case():
    path = [
        ("file", Role.SQUAD_LEADER, S.FILED),
        ("start_investigation", Role.OFFICER, S.INVESTIGATING),
        ("close_investigation", Role.OFFICER, S.INVESTIGATION_CLOSED),
        ("notify", Role.OFFICER, S.NOTIFIED),
        ("submit_review", Role.OFFICER, S.LEGAL_REVIEW),
        ("discuss", Role.SQUAD_LEADER, S.COLLECTIVE_DISCUSSION),
        ("decide", Role.SQUAD_LEADER, S.DECIDED),
        ("serve", Role.OFFICER, S.SERVED),
        ("execute", Role.OFFICER, S.EXECUTING),
        ("close", Role.SQUAD_LEADER, S.CLOSED),
    ]
    status = S.CLUE
    for action, role, target in path:
        status = apply_transition(status, action, role, major=True, review_passed=True)
        assert status is target


def test_every_transition_and_status_reachable_from_clue():
    seen_status, used, todo = {S.CLUE}, set(), [S.CLUE]
    while todo:
        status = todo.pop()
        for role, flags in product(Role, FLAGS):
            for t in allowed_transitions(status, role, **flags):
                used.add(t.action)
                if t.target not in seen_status:
                    seen_status.add(t.target)
                    todo.append(t.target)
    assert used == {t.action for t in TRANSITIONS}
    assert seen_status == set(S)


@pytest.mark.parametrize("status", [s for s in S if s.is_terminal])
def test_terminal_states_have_no_transitions(status):
    for role, flags in product(Role, FLAGS):
        assert allowed_transitions(status, role, **flags) == []
    msg = message(status, "revoke", Role.SQUAD_LEADER)
    assert f"当前状态“{status.label}”不能执行“撤销”" in msg and "已办结" in msg


def test_wrong_state_message():
    assert message(S.FILED, "close", Role.SQUAD_LEADER).startswith("当前状态“立案”不能执行“结案”")


def test_role_message():
    msg = message(S.FILED, "revoke", Role.OFFICER)
    assert msg.startswith("您的角色“执法队员”无权执行“撤销”") and "中队长" in msg


@pytest.mark.parametrize(
    "role", [Role.OFFICE_STAFF, Role.BUREAU_DISPATCHER, Role.DEPARTMENT_LIAISON, Role.ADMIN]
)
def test_roles_without_workflow_steps(role):
    for status, flags in product(S, FLAGS):
        assert allowed_transitions(status, role, **flags) == []


def test_squad_leader_can_do_everything_an_officer_can():
    for t in TRANSITIONS:
        if Role.OFFICER in t.roles:
            assert Role.SQUAD_LEADER in t.roles


@pytest.mark.parametrize("action", ["file", "not_file", "refer", "revoke", "decide", "close"])
def test_leader_only_actions(action):
    assert get_transition(action).roles == {Role.SQUAD_LEADER}


def test_legal_reviewer_only_acts_in_legal_review():
    for status, flags in product(S, FLAGS):
        actions = [t.action for t in allowed_transitions(status, Role.LEGAL_REVIEWER, **flags)]
        assert actions == (["return_review"] if status is S.LEGAL_REVIEW else [])
    assert apply_transition(S.LEGAL_REVIEW, "return_review", Role.LEGAL_REVIEWER) \
        is S.INVESTIGATION_CLOSED


def test_officer_actions_by_status():
    def actions(status):
        return [t.action for t in allowed_transitions(status, Role.OFFICER)]

    assert actions(S.CLUE) == []
    assert actions(S.FILED) == ["start_investigation"]
    assert actions(S.NOTIFIED) == ["reopen_investigation", "submit_review"]
    assert actions(S.DECIDED) == ["serve"]


def test_major_decision_blocked_until_review_passed():
    leader = Role.SQUAD_LEADER
    actions = [t.action for t in allowed_transitions(S.NOTIFIED, leader, major=True)]
    assert "decide" not in actions and "discuss" not in actions and "submit_review" in actions
    # even with a stale passed flag, a major case must go through legal_review
    assert "decide" not in [
        t.action for t in allowed_transitions(S.NOTIFIED, leader, major=True, review_passed=True)
    ]
    assert "重大执法决定须经法制审核通过后才能作出决定" in message(S.NOTIFIED, "decide", leader, major=True)
    assert "提交法制审核" in message(S.NOTIFIED, "decide", leader, major=True)

    in_review = allowed_transitions(S.LEGAL_REVIEW, leader, major=True)
    assert "decide" not in [t.action for t in in_review]
    assert "重大执法决定须经法制审核通过后才能作出决定" in message(S.LEGAL_REVIEW, "decide", leader, major=True)
    passed = dict(major=True, review_passed=True)
    assert apply_transition(S.LEGAL_REVIEW, "decide", leader, **passed) is S.DECIDED

    assert "重大执法决定" in message(S.COLLECTIVE_DISCUSSION, "decide", leader, major=True)
    assert apply_transition(S.COLLECTIVE_DISCUSSION, "decide", leader, major=True,
                            review_passed=True) is S.DECIDED


def test_case_in_review_waits_for_result_even_if_not_major():
    leader = Role.SQUAD_LEADER
    actions = [t.action for t in allowed_transitions(S.LEGAL_REVIEW, leader)]
    assert actions == ["return_review", "revoke"]
    assert "法制审核尚未通过" in message(S.LEGAL_REVIEW, "decide", leader)
    target = apply_transition(S.LEGAL_REVIEW, "discuss", leader, review_passed=True)
    assert target is S.COLLECTIVE_DISCUSSION


def test_general_case_may_be_decided_after_notification():
    assert apply_transition(S.NOTIFIED, "decide", Role.SQUAD_LEADER) is S.DECIDED
    assert apply_transition("notified", "discuss", "squad_leader") is S.COLLECTIVE_DISCUSSION


def test_side_exits():
    leader = Role.SQUAD_LEADER
    assert apply_transition(S.CLUE, "not_file", leader) is S.NOT_FILED
    assert "不予立案" in message(S.FILED, "not_file", leader)
    for s in (S.CLUE, S.FILED, S.INVESTIGATING, S.INVESTIGATION_CLOSED, S.NOTIFIED):
        assert apply_transition(s, "refer", leader) is S.REFERRED
    assert "移送" in message(S.LEGAL_REVIEW, "refer", leader)
    for s in (S.FILED, S.INVESTIGATING, S.INVESTIGATION_CLOSED, S.NOTIFIED, S.LEGAL_REVIEW,
              S.COLLECTIVE_DISCUSSION, S.DECIDED):
        assert apply_transition(s, "revoke", leader) is S.REVOKED
    assert "撤销" in message(S.CLUE, "revoke", leader)
    assert "撤销" in message(S.SERVED, "revoke", leader)


def test_apply_agrees_with_allowed():
    for status, role, flags in product(S, Role, FLAGS):
        allowed = {t.action for t in allowed_transitions(status, role, **flags)}
        for t in TRANSITIONS:
            if t.action in allowed:
                assert apply_transition(status, t.action, role, **flags) is t.target
            else:
                with pytest.raises(DomainError):
                    apply_transition(status, t.action, role, **flags)
