"""A user an administrator moves to another organisation (`fx-bureau set-user --org`): their next sync is a reset,
and the client's stored account and profile follow the server's `/me` answer, so the town's cases go and the new
organisation's referrals come, the sync says so in Chinese, and an offline login later is the new organisation's.
Against a real fx-bureau, on SQLite and PostgreSQL."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from fx_desktop.domain.lifecycle import CaseStatus
from fx_desktop.domain.organisations import OrgKind
from fx_desktop.domain.roles import Role
from fx_desktop.services import cases, evidence, referrals
from fx_desktop.services.profile import load_profile
from fx_desktop.store.models import Case, Referral
from fx_desktop.sync import account
from fx_desktop.sync.digest import local_digest
from tests.conftest import case_draft
from tests.support.bureau import PASSWORD, run_cli


def referred_to(town, tmp_path, org: str) -> referrals.ReferralRecord:
    made = cases.create_case(town.store, town.profile, case_draft(party_name=f"当事人{datetime.now():%H%M%S%f}"))
    status = CaseStatus.CLUE
    for action in ("file", "start_investigation"):
        status = cases.change_status(town.store, town.profile, made.id, action, expected_status=status).status
    photo = tmp_path / f"照片-{made.id[:8]}.jpg"
    photo.write_bytes(b"\xff\xd8\xff\xe0" + made.id.encode() * 100)
    evidence.add_evidence(town.store, town.profile, made.id, photo)
    form = referrals.prepare(town.store, town.profile, made.id)
    form.update(receiving_org=org, reason="涉及河道管理，属水务部门管辖。", legal_basis="《行政处罚法》第二十五条",
                contact={"name": town.profile.name, "phone": "021-57420000"})
    return referrals.submit(town.store, town.profile, made.id, form)


def test_a_town_user_moved_to_a_department_gets_its_profile_and_its_referrals(bureau, device, tmp_path):
    town = device(bureau, "zhang")
    to_sw = referred_to(town, tmp_path, "sw")
    assert town.sync().ok
    bureau.add_user("mover2", "officer", "nanqiao", "调动人")
    mover = device(bureau, "mover2")
    assert mover.sync().ok
    with mover.store.sessions() as s:
        assert s.execute(select(Case).where(Case.town_code == "nanqiao")).first() is not None
    assert mover.account.profile.town_code == "nanqiao"

    moved = run_cli("set-user", "--db", bureau.db_url, "--username", "mover2", "--org", "sw", "--role",
                    "department_liaison")
    assert moved.returncode == 0, moved.stderr
    report = mover.sync()
    assert report.ok and report.resyncs == 1, report.summary()
    assert report.notice == "您的所属单位已变更为区水务局（行业管理部门联络员），已按新单位重新同步数据。"
    assert report.notice in report.summary()

    acc = mover.account  # the engine's, as the sync ended
    assert (acc.org_code, acc.org_kind, acc.role, acc.town_code) == ("sw", OrgKind.DEPARTMENT,
                                                                     Role.DEPARTMENT_LIAISON, None)
    assert account.current(mover.store) == acc  # stored: the next start uses it
    profile = load_profile(mover.store)
    assert (profile.org_code, profile.org_kind, profile.role, profile.town_code) == (
        "sw", OrgKind.DEPARTMENT, Role.DEPARTMENT_LIAISON, None)
    with mover.store.sessions() as s:
        assert s.execute(select(Case)).first() is None  # the town's cases are gone
        assert [r.id for r in s.execute(select(Referral)).scalars()] == [to_sw.id]  # the new org's referral
    assert [r.id for r in referrals.inbox(mover.store, profile)] == [to_sw.id]
    offline = account.offline_login(mover.store, "mover2", PASSWORD)
    assert offline.org_code == "sw" and offline.role == Role.DEPARTMENT_LIAISON

    again = mover.sync()  # settled: nothing more changes, the digests match
    assert again.ok and again.notice == "" and again.resyncs == 0
    with mover.store.sessions() as s:
        mine = local_digest(s, mover.account.profile.case_towns)
    server = mover.client.digest()
    assert (mine["count"], mine["hash"]) == (server["count"], server["hash"])


def test_an_unchanged_user_is_left_as_they_were(bureau, device):
    """A reset for another reason (the server forgot the cursor) does not touch the account."""
    town = device(bureau, "zhang")
    assert town.sync().ok
    before = account.current(town.store)
    engine = town.engine()
    report = engine.run()
    engine.full_resync(report)
    assert report.notice == "" and engine.account == before and account.current(town.store) == before
