"""The one catalogue of case fields agrees with every place that stores or shows them."""
from __future__ import annotations

from dataclasses import fields

from sqlalchemy import inspect

from fx_desktop.domain import case_fields as cf
from fx_desktop.domain.case_draft import CaseDraft
from fx_desktop.domain.text_limits import TEXT_LIMITS
from fx_desktop.store import search_index
from fx_desktop.store.models import Case


def test_the_catalogue_matches_the_draft_the_store_and_the_search_index():
    assert set(cf.FORM_FIELDS) == {f.name for f in fields(CaseDraft)}  # the editor edits exactly the draft
    columns = {c.key for c in inspect(Case).columns}
    assert set(cf.COLUMNS) <= columns and "officers" not in cf.COLUMNS
    assert set(search_index.COLUMNS) == {"number", *cf.SEARCHABLE}
    assert set(cf.EDITABLE) == set(cf.EDITABLE_COLUMNS) | {"officers"}
    assert {"final_penalty", "final_amount"}.isdisjoint(cf.EDITABLE)


def test_labels_and_kinds():
    assert all(cf.BY_NAME[k].label == TEXT_LIMITS[k].label for k in cf.TEXT_FIELDS)  # one spelling of each label
    assert cf.label("party_name") == "当事人姓名/名称" and cf.label("officers") == "承办人员"
    assert cf.label("circumstances") == "重大执法情形" and cf.label("unknown") == "unknown"
    assert cf.of_kind(cf.DATETIME) == ("occurred_at",) and cf.of_kind(cf.LIST) == ("circumstances",)
    assert cf.of_kind(cf.MULTILINE) == ("facts", "legal_basis")
    assert all(TEXT_LIMITS[k].multiline == (cf.BY_NAME[k].kind == cf.MULTILINE) for k in cf.TEXT_FIELDS)
    assert cf.DECISION_FIELDS == {"party_kind", "party_name", "party_id_number", "facts", "legal_basis",
                                  "proposed_penalty", "proposed_amount", "circumstances", "officers"}
