"""One push request carrying many mutations of the same cases, over HTTP against a real fx-bureau (SQLite and
PostgreSQL). The server reads the cases a request names in one query before its handlers run and writes what
they changed in one flush at the end; each mutation must still see what the ones before it in the same request
did, and get its own answer."""
from __future__ import annotations

import json
import uuid

import requests

from fx_desktop.domain.case_draft import clean_to_json, validate
from tests.conftest import case_draft
from tests.support.bureau import login_headers


_login = login_headers


def _create(mid: int, case_id: str | None = None, town: str = "nanqiao", **changes) -> dict:
    values, officers = clean_to_json(validate(case_draft()))
    return {"id": mid, "name": "create_case", "args": {"case_id": case_id or str(uuid.uuid4()), "number": "临时",
                                                       "town_code": town, "fields": {**values, **changes},
                                                       "officers": officers}}


def _update(mid: int, case_id: str, changed: dict, base: dict) -> dict:
    return {"id": mid, "name": "update_case", "args": {"case_id": case_id, "changed_fields": changed, "base": base}}


def _push(bureau, headers: dict, client_id: str, mutations: list[dict]) -> requests.Response:
    return requests.post(bureau.url + "/sync/push", json={"client_id": client_id, "mutations": mutations},
                         headers=headers, timeout=60)


def _results(answer: requests.Response) -> list[dict]:
    assert answer.status_code == 200, answer.text
    return answer.json()["results"]


def _case(bureau, case_id: str) -> dict | None:
    rows = bureau.sql("SELECT fields, version FROM cases WHERE id = :i", {"i": case_id})
    if not rows:
        return None
    fields, version = rows[0]
    return {**(fields if isinstance(fields, dict) else json.loads(fields)), "version": version}


def _chinese(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


def test_a_case_created_and_updated_twice_in_one_request_keeps_every_change(bureau):
    headers, cid = _login(bureau)
    created = _create(1)
    case_id, place = created["args"]["case_id"], created["args"]["fields"]["place"]
    results = _results(_push(bureau, headers, cid, [
        created, _update(2, case_id, {"place": "一改地址"}, {"place": place}),
        _update(3, case_id, {"place": "二改地址"}, {"place": "一改地址"})]))
    assert [r["result"] for r in results] == ["applied"] * 3
    assert results[0]["detail"]["number"] != "临时"
    assert results[1]["detail"]["merged_fields"] == ["place"] == results[2]["detail"]["merged_fields"]
    stored = _case(bureau, case_id)
    assert stored["place"] == "二改地址" and stored["version"] == 3


def test_a_stale_base_later_in_the_same_request_is_a_conflict_with_the_earlier_change(bureau):
    headers, cid = _login(bureau)
    created = _create(1)
    case_id, place = created["args"]["case_id"], created["args"]["fields"]["place"]
    assert _results(_push(bureau, headers, cid, [created]))[0]["result"] == "applied"
    results = _results(_push(bureau, headers, cid, [
        _update(2, case_id, {"place": "甲地址"}, {"place": place}),
        _update(3, case_id, {"place": "乙地址"}, {"place": place})]))
    assert [r["result"] for r in results] == ["applied", "conflict"]
    conflict = results[1]["conflicts"][0]
    assert (conflict["field"], conflict["mine"], conflict["theirs"]) == ("place", "乙地址", "甲地址")
    assert _case(bureau, case_id)["place"] == "甲地址"


def test_duplicate_case_ids_in_one_request_register_the_first_and_reject_the_others(bureau):
    headers, cid = _login(bureau)
    first = _create(1, place="第一次登记的地址")
    case_id = first["args"]["case_id"]
    results = _results(_push(bureau, headers, cid, [first, _create(2, case_id, place="第二次登记的地址"),
                                                    _create(3, case_id)]))
    assert [r["result"] for r in results] == ["applied", "rejected", "rejected"]
    assert all("案件标识重复" in r["reason"] for r in results[1:])
    assert _case(bureau, case_id)["place"] == "第一次登记的地址"
    assert bureau.sql("SELECT count(*) FROM cases WHERE id = :i", {"i": case_id})[0][0] == 1


def test_a_case_deleted_earlier_in_the_request_is_gone_for_the_mutations_after_it(bureau):
    headers, cid = _login(bureau)
    created = _create(1)
    case_id, place = created["args"]["case_id"], created["args"]["fields"]["place"]
    results = _results(_push(bureau, headers, cid, [
        created, {"id": 2, "name": "delete_case", "args": {"case_id": case_id}},
        _update(3, case_id, {"place": "删除后的修改"}, {"place": place}),
        {"id": 4, "name": "transition_case", "args": {"case_id": case_id, "action": "file",
                                                      "expected_state": "clue"}},
        _create(5, case_id)]))
    assert [r["result"] for r in results] == ["applied", "applied", "conflict", "rejected", "rejected"]
    assert results[2]["conflicts"][0]["field"] == "__deleted__"
    assert "服务器上没有该案件" in results[3]["reason"] and "案件标识重复" in results[4]["reason"]
    assert _case(bureau, case_id) is None
    assert bureau.sql("SELECT count(*) FROM tombstones WHERE id = :i", {"i": case_id})[0][0] == 1


def test_rejections_in_the_middle_of_a_request_stop_nothing_behind_them(bureau):
    headers, cid = _login(bureau)
    first, invalid, last = _create(1), _create(3, party_name=""), _create(6)
    case_id, place = first["args"]["case_id"], first["args"]["fields"]["place"]
    unknown = str(uuid.uuid4())
    answer = _push(bureau, headers, cid, [
        first, _update(2, unknown, {"place": "某地"}, {"place": place}), invalid,
        _update(4, invalid["args"]["case_id"], {"place": "某地"}, {"place": place}),
        _update(5, case_id, {"place": "改后地址"}, {"place": place}), last])
    results = _results(answer)
    assert [r["result"] for r in results] == ["applied", "rejected", "rejected", "rejected", "applied", "applied"]
    assert "服务器上没有该案件" in results[1]["reason"] and "服务器上没有该案件" in results[3]["reason"]
    assert "案件数据未通过校验" in results[2]["reason"]
    assert answer.json()["last_mutation_id"] == 6
    assert _case(bureau, case_id)["place"] == "改后地址" and _case(bureau, last["args"]["case_id"]) is not None
    assert _case(bureau, unknown) is None and _case(bureau, invalid["args"]["case_id"]) is None
    logged = bureau.sql("SELECT mutation_id, result FROM mutation_log WHERE client_id = :c ORDER BY mutation_id",
                        {"c": cid})
    assert [tuple(row) for row in logged] == [(1, "applied"), (2, "rejected"), (3, "rejected"), (4, "rejected"),
                                              (5, "applied"), (6, "applied")]


def test_another_towns_case_in_a_request_is_403_and_nothing_of_the_request_is_applied(bureau):
    their_headers, their_cid = _login(bureau, "wang")
    theirs = _create(1, town="fengcheng")
    assert _results(_push(bureau, their_headers, their_cid, [theirs]))[0]["result"] == "applied"
    headers, cid = _login(bureau)
    mine = _create(1)
    answer = _push(bureau, headers, cid, [
        mine, _update(2, theirs["args"]["case_id"], {"place": "越权修改"},
                      {"place": theirs["args"]["fields"]["place"]})])
    assert answer.status_code == 403, answer.text
    assert answer.json()["code"] == "outside_town" and answer.json()["mutation_id"] == 2
    assert _case(bureau, mine["args"]["case_id"]) is None
    assert _case(bureau, theirs["args"]["case_id"])["place"] == theirs["args"]["fields"]["place"]
    assert bureau.sql("SELECT last_mutation_id FROM clients WHERE id = :c", {"c": cid})[0][0] == 0


def test_a_name_or_town_code_of_the_wrong_json_type_is_a_chinese_rejection_never_a_server_error(bureau):
    headers, cid = _login(bureau)
    listed_town, numbered_town, object_town = _create(4), _create(5), _create(6)
    listed_town["args"]["town_code"] = ["nanqiao"]
    numbered_town["args"]["town_code"] = 5
    object_town["args"]["town_code"] = {"code": "nanqiao"}
    answer = _push(bureau, headers, cid, [
        {"id": 1, "name": {"create_case": True}, "args": {}}, {"id": 2, "name": 3.5, "args": {}},
        {"id": 3, "name": ["create_case", "update_case"], "args": {}}, listed_town, numbered_town, object_town,
        _create(7)])
    results = _results(answer)
    assert [r["result"] for r in results] == ["rejected"] * 6 + ["applied"]
    assert all(_chinese(r["reason"]) for r in results[:6])
    assert "变更名称应为文本" in results[0]["reason"] and "收到的是对象" in results[0]["reason"]
    assert "收到的是数字" in results[1]["reason"] and "收到的是列表" in results[2]["reason"]
    assert all("town_code 应为文本" in r["reason"] for r in results[3:6])


def test_a_server_taking_fewer_mutations_per_request_gets_smaller_batches(bureau, device):
    """A server whose push_batch_limit is below the client's batch answers 413 too_many: the client halves its
    batch until the server takes it, and everything is pushed in order."""
    from fx_desktop.services import cases
    from fx_desktop.store import outbox
    from fx_desktop.sync.transport import Refused

    zhang = device(bureau, "zhang")
    sizes: list[int] = []
    real_push = zhang.client.push

    def limited(client_id, mutations, client_now):
        sizes.append(len(mutations))
        if len(mutations) > 3:
            raise Refused("一次最多推送 3 条变更。", "too_many", 413)
        return real_push(client_id, mutations, client_now)

    zhang.client.push = limited
    made = [cases.create_case(zhang.store, zhang.profile, case_draft(place=f"地址{i}号")) for i in range(8)]
    report = zhang.sync(push_batch=10)
    assert report.ok and report.pushed == 8 and report.rejected == 0, report.summary()
    assert sizes == [8, 4, 2, 2, 2, 2]
    with zhang.store.sessions() as session:
        assert outbox.pending_count(session, zhang.account.username) == 0
    assert [_case(bureau, record.id)["place"] for record in made] == [f"地址{i}号" for i in range(8)]
