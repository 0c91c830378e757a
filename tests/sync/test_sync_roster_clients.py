"""The roster (人员与执法证) between real clients' stores through a real fx-bureau process: office staff add an officer
offline and push later; the squad leader's device pulls it, renews the certificate while the staff's own change
of the phone is on its way, and each side's pending step is rebased over the other's; another town's device never
holds the entry, the bureau's does. After every quiet sync each side's digest matches the server's. A case is then
not filed with an officer whose certificate expired, on the client (before anything is queued) and, for a client
that did not know yet, on the server (rejected with the Chinese reason)."""
from __future__ import annotations

from datetime import date, timedelta

import pytest

from fx_desktop.domain.case_draft import Officer
from fx_desktop.domain.errors import DomainError
from fx_desktop.domain.lifecycle import CaseStatus
from fx_desktop.services import cases, roster
from tests.conftest import case_draft
from tests.sync.test_sync_referral_clients import quiet


def _form(**over):
    return {"name": "王磊", "cert_no": "31200001", "issuer": "上海市人民政府", "issued_on": "2023-01-01",
            "expires_on": (date.today() + timedelta(days=400)).isoformat(), **over}


def test_added_offline_renewed_elsewhere_rebased_and_kept_to_the_town(fresh_bureau, device):
    fresh_bureau.add_user("nei", "office_staff", "nanqiao", "倪内勤")
    fresh_bureau.start()
    staff, leader, other, bureau = (device(fresh_bureau, u) for u in ("nei", "zhang", "wang", "diao"))

    fresh_bureau.stop()
    made = roster.add(staff.store, staff.profile, _form())
    assert staff.sync().outcome == "offline"
    fresh_bureau.start()
    report = staff.sync()
    assert report.ok and report.pushed == 1 and report.rejected == 0, report.summary()
    assert roster.get(staff.store, made.id).synced
    quiet(staff)

    assert leader.sync().ok
    renewed = (date.today() + timedelta(days=1500)).isoformat()
    roster.update(leader.store, leader.profile, made.id, {"expires_on": renewed})
    roster.update(staff.store, staff.profile, made.id, {"phone": "13900000000"})  # on its way meanwhile
    assert leader.sync().ok
    assert staff.sync().ok  # pushes the phone, pulls the renewal: both in the row
    got = roster.get(staff.store, made.id)
    assert got.expires_on == renewed and got.data["phone"] == "13900000000"
    quiet(staff)
    quiet(leader)
    assert roster.get(leader.store, made.id).data["phone"] == "13900000000"

    assert other.sync().ok and roster.entries(other.store, other.profile) == []
    quiet(other)
    assert bureau.sync().ok and [e.id for e in roster.entries(bureau.store, bureau.profile)] == [made.id]


def test_a_case_is_not_filed_with_an_expired_certificate_on_either_side(fresh_bureau, device):
    fresh_bureau.add_user("nei", "office_staff", "nanqiao", "倪内勤")
    fresh_bureau.start()
    staff, leader = device(fresh_bureau, "nei"), device(fresh_bureau, "zhang")
    expired = (date.today() - timedelta(days=3)).isoformat()
    case_id = cases.create_case(leader.store, leader.profile, case_draft(
        officers=[Officer("王磊", "31200001"), Officer("过期人", "39000001")])).id
    assert leader.sync().ok

    # the leader's device does not know the roster yet: it files; the server refuses with the reason
    roster.add(staff.store, staff.profile, _form(name="过期人", cert_no="39000001", issued_on="2020-01-01",
                                                  expires_on=expired))
    assert staff.sync().ok
    cases.change_status(leader.store, leader.profile, case_id, "file", expected_status=CaseStatus.CLUE)
    report = leader.sync()
    assert report.rejected == 1, report.summary()
    assert cases.get_case(leader.store, case_id).status is CaseStatus.CLUE  # the pull put the server's status back
    assert roster.officer_choices(leader.store, "nanqiao")  # and brought the roster

    # now that it knows, the client refuses before anything is queued
    with pytest.raises(DomainError, match="过期人.*39000001"):
        cases.change_status(leader.store, leader.profile, case_id, "file", expected_status=CaseStatus.CLUE)
