"""The two police assistance forms (提请公安机关协助函, 公安协助登记表) built from realistic request states and read
back like the referral forms: fonts embedded, what the request holds extracts as the same characters, ink only in
the text block and the footer, who entered each police step (the station, or the squad for it and why), blanks
for steps not taken, a provisional number prints a draft; and `fx-desktop print` lists and prints them."""
from __future__ import annotations

import io
from datetime import datetime

import pytest
from pypdf import PdfReader

from fx_desktop.domain import police_request as pr
from fx_desktop.domain.organisations import OrgDirectory
from fx_desktop.domain.roles import Role
from fx_desktop.paths import DataPaths
from fx_desktop.printing.forms import ALL_FORMS, POLICE_FORMS, build_form, prints_as_draft
from fx_desktop.services import police_requests
from fx_desktop.services.print_data import police_print
from fx_desktop.services.profile import Profile
from fx_desktop.store import open_store
from fx_desktop.store.reference import shipped
from tests.printing.conftest import body_text, ink_bbox, ink_outside, page_texts, render, squeeze
from tests.printing.test_printing_cli import run
from tests.printing.test_printing_forms import embedded_fonts

ORGS = OrgDirectory.from_reference(shipped())
NAMES = {"nanqiao": "上海市奉贤区南桥镇人民政府", "pcs_nanqiao": "上海市公安局奉贤分局南桥派出所"}
NUMBER = "奉南桥综执协〔2026〕0007号"
AT = datetime(2026, 11, 27, 10, 0)
LEADER = pr.Actor("张伟", "squad_leader", "nanqiao")
LIAISON = pr.Actor("陈静", "police_liaison", "pcs_nanqiao")
CASE = {"id": "c1", "number": "奉南桥综执立〔2026〕0123号", "town_code": "nanqiao", "cause": "擅自搭建建筑物",
        "party_name": "吴某某", "place": "南桥镇江海路8号"}


def joint_operation() -> dict:
    state = pr.create({"request_id": "r1", "situation": "joint_operation", "place": "南桥镇工业园区沿街商铺",
                       "party": "沿街违规设摊经营户", "asks": ["keep_order", "verify_identity"], "officers_needed": 4,
                       "window_start": "2026-12-03T08:30", "window_end": "2026-12-03T11:30",
                       "risk": {"people_expected": 30, "group_risk": True, "notes": "曾有经营户聚集围观"},
                       "details": "区局统一部署的跨门经营专项整治。", "contact": {"name": "张伟", "phone": "021-57420000"},
                       "file": True}, case=None, owner=ORGS.require("nanqiao"), station=ORGS.require("pcs_nanqiao"),
                      actor=LEADER, at=AT)
    return {**pr.approve(state, {}, actor=pr.Actor("李队长", "squad_leader", "nanqiao"), at=AT), "number": NUMBER}


def answered_emergency() -> dict:
    state = pr.create({"request_id": "r2", "situation": "emergency", "place": "南桥镇江海路8号", "case_id": "c1",
                       "asks": ["obstruction"], "call_time": "2026-11-27T09:40", "file": True, "urgency": "urgent",
                       "body_cam_ids": ["DSJ-0001", "DSJ-0002"], "injuries": "执法队员一人手臂擦伤"},
                      case=CASE, owner=ORGS.require("nanqiao"), station=ORGS.require("pcs_nanqiao"), actor=LEADER,
                      at=AT)
    steps = [("acknowledge_police_request", LIAISON, {"incident_number": "J310120261127000318"}),
             ("record_police_arrival", LIAISON, {"arrived_at": "2026-11-27T09:52",
                                                 "officers": [{"name": "顾建国", "number": "031245"}]}),
             ("record_police_identity", pr.Actor("张伟", "squad_leader", "nanqiao"),
              {"result": "verified", "name": "吴某某", "id_number": "11010519491231002X",
               "on_behalf_reason": "民警现场口头告知"}),
             ("record_police_outcome", LIAISON, {"outcome": "public_order_penalty", "note": "当事人被处行政拘留五日"})]
    for name, actor, args in steps:
        state = pr.apply_step(name, state, args, actor=actor, at=AT, station_has_account=True)
    return {**state, "number": NUMBER}


@pytest.fixture(scope="module")
def built(fonts):
    joint, emergency = police_print(joint_operation(), NAMES.get), police_print(answered_emergency(), NAMES.get)
    return {"police-letter": build_form("police-letter", joint, fonts),
            "police-record": build_form("police-record", emergency, fonts),
            "police-record-planned": build_form("police-record", joint, fonts)}


def test_the_letter_asks_the_station_for_what_the_operation_needs(built):
    text = body_text(built["police-letter"])
    for s in [NAMES["nanqiao"], "提请公安机关协助函", NUMBER, f"{NAMES['pcs_nanqiao']}：", "专项协作",
              "时间：2026年12月3日8时30分至11时30分", "地点：南桥镇工业园区沿街商铺", "当事人：沿街违规设摊经营户",
              "区局统一部署的跨门经营专项整治。", "请你单位派出民警4名，协助维持现场秩序、核实当事人身份",
              "预计现场30人；有群体性事件风险；曾有经营户聚集围观", "联系人：张伟，联系电话：021-57420000。",
              f"{NAMES['nanqiao']}（印章）2026年11月27日"]:
        assert squeeze(s) in text, s


def test_the_record_says_who_entered_each_police_step(built):
    text = body_text(built["police-record"])
    for s in ["公安协助登记表", f"编号{NUMBER}", "情形应急处置", "紧急程度紧急", "报警时间2026年11月27日9时40分",
              "奉南桥综执立〔2026〕0123号擅自搭建建筑物吴某某", "请求协助事项处置妨碍执行职务",
              "警情编号J310120261127000318", "2026年11月27日9时52分到场，顾建国（警号031245）", "公安录入：陈静",
              "已核实身份吴某某11010519491231002X", "中队代录：张伟2026年11月27日10时（原因：民警现场口头告知）",
              "治安管理处罚当事人被处行政拘留五日", "DSJ-0001、DSJ-0002", "执法队员一人手臂擦伤"]:
        assert squeeze(s) in text, s
    planned = body_text(built["police-record-planned"])
    assert "审批人李队长" in planned and "公安录入" not in planned and "None" not in planned
    mkdir = __import__("pathlib").Path("/tmp/shots-police")
    mkdir.mkdir(parents=True, exist_ok=True)
    for name, pdf in built.items():  # for a person to look at (pdftoppm -r 60 -png)
        (mkdir / f"{name}.pdf").write_bytes(pdf)


@pytest.mark.parametrize("name", ["police-letter", "police-record"])
def test_fonts_embedded_and_ink_only_in_the_text_block_and_footer(built, name):
    embedded, bare = embedded_fonts(built[name])
    assert embedded and not bare
    for n, page in enumerate(render(built[name]), 1):
        assert ink_bbox(page) is not None and not ink_outside(page), n


def test_a_provisional_number_prints_a_draft(fonts):
    data = police_print({**joint_operation(), "number": "临时编号2026-ab12-0001"}, NAMES.get)
    assert prints_as_draft(["police-letter"], data)
    assert all("草稿" in t for t in page_texts(build_form("police-letter", data, fonts)))
    assert not prints_as_draft(["police-letter"], police_print(joint_operation(), NAMES.get))


def test_cli_lists_and_prints_the_police_forms(tmp_path):
    listed = run("print", "--list-forms")
    assert "police-letter\t提请公安机关协助函" in listed.stdout and "police-record\t公安协助登记表" in listed.stdout
    assert set(POLICE_FORMS) <= set(ALL_FORMS)
    store = open_store(DataPaths.at(tmp_path / "data"))
    try:
        leader = Profile("u1", "张伟", Role.SQUAD_LEADER, "nanqiao")
        made = police_requests.create(store, leader, {"situation": "emergency", "station_org": "pcs_nanqiao",
                                                      "place": "南桥镇江海路8号", "party": "吴某某",
                                                      "asks": ["keep_order"]})
    finally:
        store.close()
    out = tmp_path / "record.pdf"
    done = run("print", "--data-dir", str(tmp_path / "data"), "--form", "police-record", "--police-request",
               made.number, "--out", str(out))
    assert done.returncode == 0, done.stderr
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(out.read_bytes())).pages).replace("\n", "")
    assert squeeze(made.number) in squeeze(text) and "上海市公安局奉贤分局南桥派出所" in squeeze(text)
    bad = run("print", "--data-dir", str(tmp_path / "data"), "--form", "police-record", "--police-request", "nope",
              "--out", str(tmp_path / "x.pdf"))
    assert bad.returncode == 1 and "公安协助申请" in bad.stderr
