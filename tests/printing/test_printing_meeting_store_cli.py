"""`fx-desktop print --meeting / --supervision / --period`: the meeting and supervision documents of the records this
computer holds (a real SQLite store in a data folder, written by the services as the client does offline), found by
number or id; an unknown or ambiguous key, a missing flag and a bad period explained in Chinese."""
from __future__ import annotations

import io
import subprocess
import sys
from datetime import date, timedelta

import pytest
from pypdf import PdfReader

from fx_desktop.paths import DataPaths
from fx_desktop.services import meetings
from fx_desktop.services import supervisions as svs
from fx_desktop.services.profile import save_profile
from fx_desktop.store import open_store
from tests.services.test_services_meetings import LEADER, STAFF, signed_meeting


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "fx_desktop", "print", *args], capture_output=True, text=True,
                          encoding="utf-8", timeout=120)


def text_of(path) -> str:
    return "".join(p.extract_text() for p in PdfReader(io.BytesIO(path.read_bytes())).pages).replace("\n", "")


@pytest.fixture(scope="module")
def held(tmp_path_factory):
    """A data folder whose store holds 南桥镇's signed minutes and a supervision sheet of its agreed item."""
    root = tmp_path_factory.mktemp("meeting-store") / "data"
    store = open_store(DataPaths.at(root))
    try:
        save_profile(store, name=STAFF.name, role=STAFF.role, town_code="nanqiao")
        meeting = signed_meeting(store)
        sheet = svs.issue(store, LEADER, {
            "responsible_org": "ghzy", "matter": "拆除江海路违法搭建", "leader": "张副镇长",
            "source_kind": "meeting", "source_id": meeting.id, "source_item": 1, "source_text": "纪要议定事项第一项",
            "deadline": (date.today() + timedelta(days=10)).isoformat()})
        return root, meetings.get(store, meeting.id), sheet
    finally:
        store.close()


def test_the_minutes_and_the_pack_of_a_meeting_on_this_computer(held, tmp_path):
    root, meeting, sheet = held
    out = tmp_path / "minutes.pdf"
    done = run("--data-dir", str(root), "--form", "meeting-minutes", "--meeting", meeting.id, "--out", str(out))
    assert done.returncode == 0, done.stderr
    assert "南桥镇综合行政执法协调会议纪要" in text_of(out) and "拆除江海路违法搭建" in text_of(out)
    assert meeting.number in text_of(out) and "草稿" not in done.stderr  # a standalone office numbers it itself
    pack = tmp_path / "pack.pdf"
    done = run("--data-dir", str(root), "--form", "meeting-pack", "--meeting", meeting.id, "--out", str(pack))
    assert done.returncode == 0, done.stderr
    outline = [item.title for item in PdfReader(str(pack)).outline if not isinstance(item, list)]
    assert outline[0] == "会议通知" and "会议纪要" in outline and outline[-1].startswith("督办单")
    assert "签到表" in text_of(pack) and "区规划资源局" in text_of(pack)


def test_a_sheet_by_its_id_and_the_report_of_a_period(held, tmp_path):
    root, _meeting, sheet = held
    out = tmp_path / "sheet.pdf"
    done = run("--data-dir", str(root), "--form", "supervision-sheet", "--supervision", sheet.id, "--out", str(out))
    assert done.returncode == 0, done.stderr
    assert "督办单" in text_of(out) and "拆除江海路违法搭建" in text_of(out)
    report = tmp_path / "report.pdf"
    done = run("--data-dir", str(root), "--form", "supervision-report", "--out", str(report))  # this month
    assert done.returncode == 0, done.stderr
    assert "督办通报" in text_of(report) and "区规划资源局" in text_of(report)


def test_wrong_keys_and_flags_are_explained(held, tmp_path):
    root, meeting, _sheet = held
    out, data = str(tmp_path / "x.pdf"), ("--data-dir", str(root))
    done = run(*data, "--form", "meeting-minutes", "--meeting", "〔2026〕第99期", "--out", out)
    assert done.returncode == 1 and "本机没有编号或 ID 为“〔2026〕第99期”的会议" in done.stderr
    done = run(*data, "--form", "meeting-minutes", "--out", out)
    assert done.returncode == 1 and "请用 --meeting 指定会议编号" in done.stderr
    done = run(*data, "--form", "supervision-sheet", "--meeting", meeting.id, "--out", out)
    assert done.returncode == 1 and "--supervision 指定督办单编号" in done.stderr
    done = run(*data, "--form", "supervision-report", "--period", "2026-11-30:2026-11-01", "--out", out)
    assert done.returncode == 1 and "结束日期早于开始日期" in done.stderr
    done = run(*data, "--form", "supervision-report", "--period", "11月", "--out", out)
    assert done.returncode == 1 and "格式不对" in done.stderr
    done = run(*data, "--form", "meeting-minutes", "--meeting", meeting.id, "--case", "X", "--out", out)
    assert done.returncode == 2 and "不能与 --case、--referral 同时使用" in done.stderr
    done = run(*data, "--form", "review-opinion", "--meeting", meeting.id, "--out", out)
    assert done.returncode == 1 and "只用于会议与督办文书" in done.stderr
    assert not (tmp_path / "x.pdf").exists()
