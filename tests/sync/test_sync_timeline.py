"""What a sync writes to a case's timeline reads as sentences: the number the district gave a case made here, a
status another computer set; never the server versions the entry records."""
from __future__ import annotations

from fx_desktop.domain.lifecycle import CaseStatus
from fx_desktop.services import cases
from fx_desktop.services.audit_text import sentence
from tests.conftest import case_draft


def _sync_sentences(store, case_id: str) -> list[str]:
    return [sentence(e) for e in cases.timeline(store, case_id) if e.role == "sync"]


def test_pulled_changes_are_told_in_words(bureau, device):
    a, b = device(bureau, "zhang"), device(bureau, "zhang", "zhang-elsewhere")  # two computers
    made = cases.create_case(a.store, a.profile, case_draft())
    assert made.number.startswith("临时编号")
    assert a.sync().ok and b.sync().ok
    official = cases.get_case(a.store, made.id).number
    assert official != made.number
    assert _sync_sentences(a.store, made.id) == [f"同步：区局确认案件编号 {official}（原为 {made.number}）"]

    cases.change_status(b.store, b.profile, made.id, "file", expected_status=CaseStatus.CLUE)
    assert b.sync().ok and a.sync().ok
    told = _sync_sentences(a.store, made.id)
    assert told[-1] == "同步：案件状态由“线索登记”变为“立案”"
    assert not any("版本" in t or "server" in t for t in told)
