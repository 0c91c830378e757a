"""A case registered offline that a real fx-bureau refuses (its reference data changed meanwhile: a 重大执法情形 the
case names was withdrawn) stays on the device, marked, with the server's reason; corrected and resent, the bureau
accepts it with its steps and evidence, and it gets its official number like any case."""
from __future__ import annotations

import json

from fx_desktop.domain.lifecycle import CaseStatus
from fx_desktop.services import cases, refused_cases
from fx_desktop.services.conflicts import rejected_entries
from fx_desktop.services.evidence import add_evidence
from fx_desktop.store import reference
from tests.conftest import case_draft
from tests.support.bureau import run_cli


def _withdraw_circumstance(bureau, key: str, tmp_path) -> None:
    """The bureau's administrator loads a newer reference without the circumstance `key` (fx-bureau init)."""
    data = reference.shipped()
    rules = data["legal_review"]
    rules["circumstances"] = [c for c in rules["circumstances"] if c["key"] != key]
    data["version"] += 1
    path = tmp_path / "reference.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    done = run_cli("init", "--db", bureau.db_url, "--reference", str(path))
    assert done.returncode == 0, done.stderr


def test_the_bureau_refuses_a_create_then_accepts_the_corrected_resend(bureau, device, tmp_path):
    leader = device(bureau, "zhang")
    assert leader.sync().ok
    made = cases.create_case(leader.store, leader.profile, case_draft(party_name="被拒后重报",
                                                                     circumstances=["demolition"]))
    cases.change_status(leader.store, leader.profile, made.id, "file", expected_status=CaseStatus.CLUE)
    photo = tmp_path / "现场照片.jpg"
    photo.write_bytes(b"\xff\xd8 refused then resent")
    add_evidence(leader.store, leader.profile, made.id, photo)
    _withdraw_circumstance(bureau, "demolition", tmp_path)

    report = leader.sync()
    assert report.rejected == 3, report.summary()  # the create, and the step and the evidence of a case it lacks
    refusal = refused_cases.refusal(leader.store, made.id)
    assert refusal is not None and "demolition" in refusal.reason and "未通过校验" in refusal.reason
    kept = cases.get_case(leader.store, made.id)  # nothing typed is lost
    assert kept.values["party_name"] == "被拒后重报" and kept.status is CaseStatus.FILED and len(kept.evidence) == 1
    assert kept.number.startswith("临时编号")
    assert bureau.sql("SELECT count(*) FROM cases WHERE id = :id", {"id": made.id})[0][0] == 0

    refused_cases.resubmit(leader.store, leader.profile, made.id, case_draft(party_name="被拒后重报", circumstances=[]))
    report = leader.sync()
    assert report.ok and report.rejected == 0 and report.pushed == 3, report.summary()
    assert refused_cases.refusal(leader.store, made.id) is None and rejected_entries(leader.store) == []
    after = cases.get_case(leader.store, made.id)
    assert not after.number.startswith("临时编号") and "综执立" in after.number  # the official number, as usual
    assert after.status is CaseStatus.FILED and after.values["circumstances"] == []
    ((number, status, evidence),) = bureau.sql("SELECT number, status, evidence FROM cases WHERE id = :id",
                                                {"id": made.id})
    evidence = json.loads(evidence) if isinstance(evidence, str) else evidence
    assert (number, status) == (after.number, "filed") and [e["name"] for e in evidence] == ["现场照片.jpg"]
    assert report.digest_ok is not False
