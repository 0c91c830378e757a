"""Evidence reaches the department: a department's computer has no cases, so the download queue fetches the files
named by the case snapshot of each referral it received (hash verified), and never a file of a case that was not
referred to it, which fx-bureau refuses as well. Against a real fx-bureau, on SQLite and PostgreSQL."""
from __future__ import annotations

import hashlib
import json
from datetime import datetime

import pytest
from sqlalchemy import select, text

from fx_desktop.domain.lifecycle import CaseStatus
from fx_desktop.services import cases, evidence, referrals
from fx_desktop.store.models import Case
from fx_desktop.sync import downloads
from fx_desktop.sync.downloads import DownloadQueue, Events, Wanted
from tests.conftest import case_draft


class Recorded(Events):
    def __init__(self):
        self.arrivals, self.failures = [], []

    def arrived(self, sha256):
        self.arrivals.append(sha256)

    def failed(self, failure):
        self.failures.append(failure)


@pytest.fixture(scope="module")
def server(bureau):
    bureau.add_user("zhou", "department_liaison", "sthj", "周敏")
    return bureau


def case_with_photo(town, tmp_path, name: str) -> tuple[str, str]:
    """An investigated case of the town with one photo; (case id, the photo's sha256)."""
    made = cases.create_case(town.store, town.profile, case_draft(party_name=f"当事人{datetime.now():%H%M%S%f}"))
    status = CaseStatus.CLUE
    for action in ("file", "start_investigation"):
        status = cases.change_status(town.store, town.profile, made.id, action, expected_status=status).status
    data = b"\xff\xd8\xff\xe0" + (name + made.id).encode() * 3000
    photo = tmp_path / name
    photo.write_bytes(data)
    evidence.add_evidence(town.store, town.profile, made.id, photo)
    return made.id, hashlib.sha256(data).hexdigest()


def test_the_files_of_a_referred_case_reach_the_department_and_no_others(server, device, tmp_path):
    town, dept = device(server, "zhang"), device(server, "zhou")
    referred, photo = case_with_photo(town, tmp_path, "现场照片.jpg")
    _kept, other = case_with_photo(town, tmp_path, "另案照片.jpg")
    form = referrals.prepare(town.store, town.profile, referred)
    form.update(receiving_org="sthj", reason="涉及环境污染，不属于城管执法管辖。", legal_basis="《行政处罚法》第二十五条",
                contact={"name": town.profile.name, "phone": "021-57420000"})
    record = referrals.submit(town.store, town.profile, referred, form)
    assert town.sync().ok
    assert dept.sync().ok
    with dept.store.sessions() as s:
        assert s.execute(select(Case)).first() is None  # no case rows: the files come from the referral alone
    snapshot = referrals.get(dept.store, record.id).data["case_snapshot"]["evidence"]
    assert [e["sha256"] for e in snapshot] == [photo]

    queue = DownloadQueue(dept.store)
    planned = [w.sha256 for w in queue.plan().background]
    assert photo in planned and other not in planned
    events = Recorded()
    report = queue.run(dept.client, events=events)
    assert report.complete and photo in events.arrivals and not events.failures
    stored = dept.store.blobs.path_for(photo).read_bytes()
    assert hashlib.sha256(stored).hexdigest() == photo
    assert stored == town.store.blobs.path_for(photo).read_bytes()
    assert not dept.store.blobs.has(other)

    queue.request(Wanted(other, 1000, "另案照片.jpg"))  # asked for by hand: the server refuses it too
    events = Recorded()
    queue.run(dept.client, background=False, events=events)
    assert [(f.sha256, f.kind) for f in events.failures] == [(other, downloads.REFUSED)]
    assert not dept.store.blobs.has(other)
    assert queue.plan().background == []  # nothing left to fetch


def test_a_snapshot_entry_without_a_digest_is_not_planned(server, device):
    """A pulled snapshot whose evidence list holds something other than a file with a digest: skipped (a digest
    that is not a sha256 is planned and fails alone, as for a case: tests/sync/test_sync_downloads.py)."""
    dept = device(server, "zhou")
    assert dept.sync().ok
    data = {"case_snapshot": {"evidence": [{"name": "无摘要.jpg", "size": 5}, 7,
                                           {"sha256": "b" * 64, "size": "12", "name": "有摘要.jpg"}]}}
    with dept.store.writes.begin() as s:
        s.execute(text("INSERT INTO referrals (id, case_id, owner_org, receiving_org, number, status, version, data, "
                       "updated_at) VALUES ('r-odd', NULL, 'nanqiao', 'sthj', 'x', 'submitted', 1, :data, "
                       "'2099-03-10 09:00:00')"), {"data": json.dumps(data, ensure_ascii=False)})
    planned = DownloadQueue(dept.store).plan().background
    assert planned[0] == Wanted("b" * 64, 12, "有摘要.jpg") and all(w.name != "无摘要.jpg" for w in planned)
