"""Users belong to organisations: `fx-bureau create-user --org` (and the older `--town`), the role checked against
the organisation's kind, `set-user --org` moving a user (their sync generation rises, see the referral tests for
what that does to their pulls)."""
from __future__ import annotations

from tests.support.bureau import Bureau, run_cli

GOOD = "good-pass-1\n"


def _create(bureau: Bureau, username: str, *args: str):
    return run_cli("create-user", "--db", bureau.db_url, "--username", username, *args, stdin=GOOD)


def test_create_user_with_an_organisation_checks_the_role_against_its_kind(tmp_path):
    bureau = Bureau("sqlite", tmp_path).init()
    liaison = _create(bureau, "scjg1", "--org", "scjg", "--role", "department_liaison", "--name", "市监联络员")
    assert liaison.returncode == 0, liaison.stderr
    assert "区市场监管局" in liaison.stdout
    wrong = _create(bureau, "scjg2", "--org", "scjg", "--role", "officer")
    assert wrong.returncode == 1
    assert "区市场监管局" in wrong.stderr and "不能担任“执法队员”" in wrong.stderr
    assert "可选角色：行业管理部门联络员" in wrong.stderr
    police = _create(bureau, "pcs1", "--org", "pcs_nanqiao", "--role", "police_liaison")
    assert police.returncode == 0, police.stderr
    town_as_department = _create(bureau, "nq9", "--town", "nanqiao", "--role", "department_liaison")
    assert town_as_department.returncode == 1 and "执法队员" in town_as_department.stderr  # allowed roles named
    unknown = _create(bureau, "x1", "--org", "atlantis", "--role", "officer")
    assert unknown.returncode == 1 and "atlantis" in unknown.stderr and "scjg" in unknown.stderr
    both = _create(bureau, "x2", "--org", "scjg", "--town", "nanqiao", "--role", "officer")
    assert both.returncode == 1 and "--org" in both.stderr and "--town" in both.stderr and "不同的单位" in both.stderr
    same = _create(bureau, "x3", "--org", "nanqiao", "--town", "nanqiao", "--role", "officer")
    assert same.returncode == 0, same.stderr
    old_style = _create(bureau, "x4", "--town", "fengcheng", "--role", "squad_leader")
    assert old_style.returncode == 0, old_style.stderr
    not_a_town = _create(bureau, "x5", "--town", "scjg", "--role", "department_liaison")
    assert not_a_town.returncode == 1 and "街镇" in not_a_town.stderr
    bureau_user = _create(bureau, "d1", "--role", "bureau_dispatcher")
    assert bureau_user.returncode == 0, bureau_user.stderr
    nowhere = _create(bureau, "x6", "--role", "officer")
    assert nowhere.returncode == 1 and "--org" in nowhere.stderr
    rows = dict((u, (o, t)) for u, o, t in bureau.sql("SELECT username, org_code, town_code FROM users"))
    assert rows == {"scjg1": ("scjg", None), "pcs1": ("pcs_nanqiao", None), "x3": ("nanqiao", "nanqiao"),
                    "x4": ("fengcheng", "fengcheng"), "d1": ("cgzf", None)}


def test_set_user_moves_a_user_to_another_organisation_and_raises_their_sync_generation(tmp_path):
    bureau = Bureau("sqlite", tmp_path).init()
    assert _create(bureau, "zhou", "--town", "nanqiao", "--role", "officer").returncode == 0
    refused = run_cli("set-user", "--db", bureau.db_url, "--username", "zhou", "--org", "scjg")
    assert refused.returncode == 1 and "不能担任“执法队员”" in refused.stderr
    assert bureau.sql("SELECT org_code, sync_generation FROM users")[0] == ("nanqiao", 0)
    moved = run_cli("set-user", "--db", bureau.db_url, "--username", "zhou", "--org", "scjg", "--role",
                    "department_liaison")
    assert moved.returncode == 0, moved.stderr
    assert bureau.sql("SELECT org_code, town_code, role, sync_generation FROM users")[0] == (
        "scjg", None, "department_liaison", 1)
    again = run_cli("set-user", "--db", bureau.db_url, "--username", "zhou", "--org", "scjg")
    assert again.returncode == 0
    assert bureau.sql("SELECT sync_generation FROM users")[0][0] == 1  # no move, no resync
    bad_role = run_cli("set-user", "--db", bureau.db_url, "--username", "zhou", "--role", "squad_leader")
    assert bad_role.returncode == 1 and "区市场监管局" in bad_role.stderr
    help_text = run_cli("set-user", "--help").stdout
    assert "--org" in help_text and "重新下载" in help_text
