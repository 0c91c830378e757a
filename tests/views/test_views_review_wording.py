"""The reviewer's criteria read the same on screen as on paper: the criminal-referral criterion is answered
未发现涉嫌犯罪 / 涉嫌犯罪需移送 (never 符合, which next to a question reads as "yes, refer it"), in the verdict form
and in the round's details, while the stored answer stays {"passed": bool} under the criterion's key."""
from __future__ import annotations

from datetime import date, datetime

import pytest
from PySide6.QtWidgets import QCheckBox

from fx_desktop.domain import legal_review as lr
from fx_desktop.domain.errors import DomainError
from fx_desktop.services.legal_review import ReviewRecord
from fx_desktop.views.review_dialogs import VerdictForm
from fx_desktop.views.review_panel import round_text
from tests.views.test_views_sync import chinese  # noqa: F401 - fixture: the Chinese UI, as the app installs it

CRIME = lr.CRITERIA_LABELS["crime"]


def test_the_verdict_form_words_the_referral_answers_and_stores_passed(qtbot, chinese):
    form = VerdictForm()
    qtbot.addWidget(form)
    texts = {key: (ok.text(), bad.text()) for key, (ok, bad, _note) in form.criteria.items()}
    assert texts.pop("crime") == ("未发现涉嫌犯罪", "涉嫌犯罪需移送")
    assert set(texts.values()) == {("符合", "不符合")}
    (all_met,) = form.findChildren(QCheckBox)
    assert all_met.text() == "全部标为符合（未发现涉嫌犯罪）"
    all_met.setChecked(True)
    assert all(ok.isChecked() for ok, _bad, _note in form.criteria.values())
    assert form.values()[2]["crime"] == {"passed": True, "note": ""}


def test_refusing_agree_names_the_referral_answer(qtbot, chinese):
    form = VerdictForm()  # the review desk checks its values with check_verdict before confirming
    qtbot.addWidget(form)
    for key, (ok, bad, _note) in form.criteria.items():
        (bad if key == "crime" else ok).setChecked(True)
    form.findChild(type(form.outcomes.buttons()[0]), "outcome_agree").setChecked(True)
    outcome, _opinion, criteria = form.values()
    assert outcome == "agree" and criteria["crime"] == {"passed": False, "note": ""}  # the stored shape
    with pytest.raises(DomainError) as refused:
        lr.check_verdict(*form.values())
    assert refused.value.message == f"审核项“{CRIME}”评定为“涉嫌犯罪需移送”，不能作出“同意”的结论。"


def _round(crime_passed: bool) -> ReviewRecord:
    criteria = {k: {"passed": True, "note": ""} for k, _ in lr.CRITERIA}
    criteria["crime"] = {"passed": crime_passed, "note": "" if crime_passed else "涉案金额达到立案追诉标准"}
    return ReviewRecord("r1", "c1", 1, lr.ReviewStatus.AGREED if crime_passed else lr.ReviewStatus.DISAGREED,
                        datetime(2026, 3, 2, 9, 0), "王磊", ["case_file"], "请审核", date(2026, 3, 2),
                        date(2026, 3, 9), None, criteria,
                        lr.Outcome.AGREE if crime_passed else lr.Outcome.DISAGREE, "意见", "赵敏",
                        datetime(2026, 3, 3, 9, 0), "奉南桥法审〔2026〕1号")


def test_the_round_details_show_the_referral_answer_in_words():
    assert f"　{CRIME}：未发现涉嫌犯罪\n" in round_text(_round(True))
    assert f"　{CRIME}：涉嫌犯罪需移送（涉案金额达到立案追诉标准）\n" in round_text(_round(False))
    assert "　事实清楚：符合\n" in round_text(_round(False))
