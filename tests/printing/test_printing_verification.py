"""The verification code: short and typable, the same for the same data, different for any change."""
from __future__ import annotations

import re
from dataclasses import replace
from datetime import datetime
from decimal import Decimal

from fx_desktop.printing.verification import canonical, pdf_metadata, verification_code
from tests.printing.conftest import sample_dossier, sample_opinion, sample_submission, with_

FORMAT = re.compile(r"^[A-Z2-7]{4}-[A-Z2-7]{4}$")


def test_same_data_same_code():
    a, b = sample_dossier(), sample_dossier()
    assert a is not b
    code = verification_code("review-opinion", a)
    assert FORMAT.match(code)
    assert verification_code("review-opinion", b) == code
    assert canonical("review-opinion", a) == canonical("review-opinion", b)


def test_any_change_changes_the_code():
    base = sample_dossier()
    code = verification_code("review-opinion", base)
    changed = [
        with_(base, facts=base.case.facts + "。"),
        with_(base, proposed_amount=Decimal("20001")),
        with_(base, officers=(("王磊", "31200009"), ("陈静", "31200002"))),
        with_(base, occurred_at=datetime(2025, 12, 1, 10, 31)),
        replace(base, submission=sample_submission(accepted_on=None)),
        replace(base, opinion=sample_opinion(outcome="同意")),
        replace(base, opinion=sample_opinion(reviewer="李敏")),
    ]
    codes = {verification_code("review-opinion", d) for d in changed}
    assert code not in codes and len(codes) == len(changed)
    assert verification_code("review-request", base) != code  # the form is part of what is signed


def test_reprinting_later_keeps_the_code_and_equal_amounts_are_equal():
    base = sample_dossier()
    later = replace(base, printed_at=datetime(2027, 1, 1))
    assert verification_code("case-briefing", later) == verification_code("case-briefing", base)
    assert verification_code("case-briefing", with_(base, proposed_amount=Decimal("20000.00"))) == \
        verification_code("case-briefing", base)


def test_pdf_metadata():
    meta = pdf_metadata(title="法制审核意见书", form_name="review-opinion", code="ABCD-EFGH", number="奉南法审〔2026〕3号")
    assert meta["author"] == "fx-desktop" and meta["subject"] == "review-opinion" and meta["invariant"] == 1
    assert "校验码 ABCD-EFGH" in meta["keywords"] and "奉南法审〔2026〕3号" in meta["keywords"]
