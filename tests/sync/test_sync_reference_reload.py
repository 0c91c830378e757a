"""fx-bureau keeps what follows from the reference (document templates, agency codes, which towns exist, rules) per
process while the reference stays the same (fx_bureau.schema.from_reference). A newer reference loaded with
`fx-bureau init --reference` while the server runs must take effect with the next request, without a restart."""
from __future__ import annotations

import json
import uuid

import requests

from fx_bureau.process import run_cli
from fx_bureau.schema import default_reference
from fx_desktop.domain.case_draft import clean_to_json, validate
from tests.conftest import case_draft
from tests.support.bureau import login_headers


def _create(mid: int, town: str) -> dict:
    values, officers = clean_to_json(validate(case_draft()))
    return {"id": mid, "name": "create_case", "args": {"case_id": str(uuid.uuid4()), "number": "临时",
                                                       "town_code": town, "fields": values, "officers": officers}}


def _push(bureau, headers: dict, client_id: str, mutation: dict) -> dict:
    answer = requests.post(bureau.url + "/sync/push", json={"client_id": client_id, "mutations": [mutation]},
                           headers=headers, timeout=60)
    assert answer.status_code == 200, answer.text
    return answer.json()["results"][0]


def test_a_reference_loaded_while_the_server_runs_takes_effect_at_the_next_request(fresh_bureau, tmp_path):
    bureau = fresh_bureau.start()
    headers, client_id = login_headers(bureau, "diao")  # the dispatcher registers cases in any town
    first = _push(bureau, headers, client_id, _create(1, "nanqiao"))
    assert first["result"] == "applied" and first["detail"]["number"].startswith("奉南桥综执立〔"), first
    unknown = _push(bureau, headers, client_id, _create(2, "xinzhen"))
    assert unknown["result"] == "rejected" and "xinzhen" in unknown["reason"], unknown

    data = default_reference()
    data["version"] += 1
    data["doc_templates"]["case"]["pattern"] = "{机关代字}新立〔{年}〕{序号}号"
    for org in data["organisations"]:
        if org["code"] == "nanqiao":
            org["short_name"] = "奉南"
    data["towns"] = [*data["towns"], {"code": "xinzhen", "name": "新镇", "kind": "镇", "agency_code": "奉新"}]
    data["organisations"] = [*data["organisations"],
                             {"code": "xinzhen", "name": "新镇", "short_name": "奉新", "kind": "town", "parent": None}]
    path = tmp_path / "reference.json"
    path.write_text(json.dumps(data, ensure_ascii=False), "utf-8")
    done = run_cli("init", "--db", bureau.db_url, "--reference", str(path))
    assert done.returncode == 0, done.stderr

    renamed = _push(bureau, headers, client_id, _create(3, "nanqiao"))
    assert renamed["result"] == "applied" and renamed["detail"]["number"].startswith("奉南新立〔"), renamed
    new_town = _push(bureau, headers, client_id, _create(4, "xinzhen"))
    assert new_town["result"] == "applied" and new_town["detail"]["number"].startswith("奉新新立〔"), new_town
