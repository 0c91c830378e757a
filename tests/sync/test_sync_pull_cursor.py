"""GET /sync/pull over HTTP (SQLite and PostgreSQL): the head of a page (cursor, reset and its reason, the client's
last_mutation_id) and which changes a cursor brings, including a cursor from the future, which starts over."""
from __future__ import annotations

import uuid

import requests

from fx_desktop.domain.case_draft import clean_to_json, validate
from tests.conftest import case_draft
from tests.support.bureau import login_headers


def _create(mid: int) -> tuple[str, dict]:
    case_id = str(uuid.uuid4())
    values, officers = clean_to_json(validate(case_draft()))
    return case_id, {"id": mid, "name": "create_case", "args": {"case_id": case_id, "number": "临时",
                                                               "town_code": "nanqiao", "fields": values,
                                                               "officers": officers}}


def _pull(bureau, headers: dict, cursor: str | None, limit: int = 1000) -> dict:
    params = {"limit": limit, **({"cursor": cursor} if cursor else {})}
    answer = requests.get(bureau.url + "/sync/pull", params=params, headers=headers, timeout=60)
    assert answer.status_code == 200, answer.text
    return answer.json()


def _cases(page: dict) -> set[str]:
    return {c["id"] for c in page["changes"] if c["type"] == "case"}


def test_a_cursor_brings_what_came_after_it_and_one_from_the_future_starts_over(bureau):
    headers, client_id = login_headers(bureau, "li")
    first = _pull(bureau, headers, None)
    assert first["reset"] and first["reset_reason"] == "first" and first["last_mutation_id"] == 0
    assert [c for c in first["changes"] if c["type"] == "reference"]
    epoch, seq = first["cursor"].rsplit(":", 1)
    case_id, mutation = _create(1)
    pushed = requests.post(bureau.url + "/sync/push", json={"client_id": client_id, "mutations": [mutation]},
                           headers=headers, timeout=60)
    assert pushed.status_code == 200 and pushed.json()["results"][0]["result"] == "applied", pushed.text

    after = _pull(bureau, headers, first["cursor"])
    assert not after["reset"] and "reset_reason" not in after and not after["more"]
    assert _cases(after) == {case_id} and after["last_mutation_id"] == 1
    assert not [c for c in after["changes"] if c["type"] == "reference"]  # sent once, with the first page
    case = next(c for c in after["changes"] if c["id"] == case_id)
    assert case["reviews"] == [] and case["number"] and int(after["cursor"].rsplit(":", 1)[1]) >= case["seq"]
    again = _pull(bureau, headers, after["cursor"])
    assert (again["changes"], again["reset"], again["cursor"]) == ([], False, after["cursor"])

    ahead = _pull(bureau, headers, f"{epoch}:{int(seq) + 10**9}")
    assert ahead["reset"] and ahead["reset_reason"] == "ahead"
    assert case_id in _cases(ahead) and [c for c in ahead["changes"] if c["type"] == "reference"]
    assert ahead["cursor"] == after["cursor"] and ahead["last_mutation_id"] == 1


def test_pages_of_a_first_pull_follow_each_other_without_a_gap_or_a_repeat(bureau):
    headers, client_id = login_headers(bureau, "li")
    mutations = [_create(mid)[1] for mid in range(1, 6)]
    pushed = requests.post(bureau.url + "/sync/push", json={"client_id": client_id, "mutations": mutations},
                           headers=headers, timeout=60)
    assert pushed.status_code == 200 and {r["result"] for r in pushed.json()["results"]} == {"applied"}
    whole = _pull(bureau, headers, None)
    assert len(whole["changes"]) >= 6
    seen, cursor, pages = [], None, 0
    while True:
        page = _pull(bureau, headers, cursor, limit=2)
        assert page["reset"] == (cursor is None)
        seen += [(c["type"], c.get("id") or c.get("key"), c["seq"]) for c in page["changes"]]
        cursor, pages = page["cursor"], pages + 1
        if not page["more"]:
            break
    assert pages >= 3 and cursor == whole["cursor"]
    assert sorted(seen, key=lambda c: c[2]) == seen
    assert sorted(seen) == sorted((c["type"], c.get("id") or c.get("key"), c["seq"]) for c in whole["changes"])
