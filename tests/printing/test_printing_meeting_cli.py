"""`fx-desktop print --meeting-json FILE`: the meeting and supervision documents from a JSON file of their print data
(for administrators and tests until the lead adds `--meeting NUMBER`): listed by --list-forms, written as PDFs that
read back with the file's values, minutes not signed off written as a draft with the reason on stderr, and a wrong
file or flag explained in Chinese."""
from __future__ import annotations

import io
import json
import subprocess
import sys

import pytest
from pypdf import PdfReader

from fx_desktop.printing.meeting_json import dump
from tests.printing.meeting_samples import sample_meeting, sample_report, sample_sheet, unsigned


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "fx_desktop", "print", *args], capture_output=True, text=True,
                          encoding="utf-8", timeout=120)


def text_of(path) -> str:
    return "".join(p.extract_text() for p in PdfReader(io.BytesIO(path.read_bytes())).pages).replace("\n", "")


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    root = tmp_path_factory.mktemp("meeting-json")
    out = {}
    for name, data in (("signed", sample_meeting()), ("unsigned", unsigned()), ("sheet", sample_sheet()),
                       ("report", sample_report())):
        out[name] = root / f"{name}.json"
        out[name].write_text(json.dumps(dump(data), ensure_ascii=False, indent=1), encoding="utf-8")
    out["data"] = root / "data"
    return out


def test_the_new_forms_are_listed():
    done = run("--list-forms")
    assert done.returncode == 0
    for line in ("meeting-notice\t会议通知", "meeting-agenda\t会议议程", "meeting-signin\t签到表",
                 "meeting-minutes\t会议纪要", "meeting-items\t议定事项清单", "meeting-pack\t会议材料（合订）",
                 "supervision-sheet\t督办单", "supervision-report\t督办通报"):
        assert line in done.stdout.splitlines()


@pytest.mark.parametrize("form, file, expected", [
    ("meeting-pack", "signed", ["的通知", "签到表", "南桥镇综合行政执法协调会议纪要", "出席：", "议定事项清单", "南桥督〔2026〕13号"]),
    ("supervision-sheet", "sheet", ["督办单", "南桥督〔2026〕11号", "已于2026年12月10日催办。"]),
    ("supervision-report", "report", ["督办通报", "逾期未办结事项", "19天"]),
])
def test_a_form_is_written_from_its_json_file(files, tmp_path, form, file, expected):
    out = tmp_path / f"{form}.pdf"
    done = run("--data-dir", str(files["data"]), "--form", form, "--meeting-json", str(files[file]), "--out", str(out))
    assert done.returncode == 0, done.stderr
    assert "草稿" not in done.stderr and "已生成" in done.stdout
    text = text_of(out)
    for value in expected:
        assert value in text, value


def test_minutes_not_signed_off_are_written_as_a_draft_saying_why(files, tmp_path):
    out = tmp_path / "minutes.pdf"
    done = run("--data-dir", str(files["data"]), "--form", "meeting-minutes", "--meeting-json",
               str(files["unsigned"]), "--out", str(out))
    assert done.returncode == 0, done.stderr
    assert f"注意：{out} 标注为草稿。本纪要尚未签发（传阅中）" in done.stderr and "fx-desktop sync" not in done.stderr
    assert "纪要传阅中，尚未签发" in text_of(out)


def test_a_wrong_value_in_the_file_is_named(files, tmp_path):
    broken = json.loads(files["signed"].read_text(encoding="utf-8"))
    broken["attendees"][2]["name"] = None
    path = tmp_path / "broken.json"
    path.write_text(json.dumps(broken, ensure_ascii=False), encoding="utf-8")
    out = tmp_path / "x.pdf"
    done = run("--data-dir", str(files["data"]), "--form", "meeting-signin", "--meeting-json", str(path),
               "--out", str(out))
    assert done.returncode == 1 and "“attendees[2].name”应为文本" in done.stderr and not out.exists()


def test_flags_that_do_not_go_together_are_explained(files, tmp_path):
    out = str(tmp_path / "x.pdf")
    data = ("--data-dir", str(files["data"]))
    done = run(*data, "--form", "review-opinion", "--meeting-json", str(files["signed"]), "--out", out)
    assert done.returncode == 1 and "不是会议或督办文书" in done.stderr
    done = run(*data, "--form", "meeting-minutes", "--case", "奉南城管〔2026〕第00123号", "--out", out)
    assert done.returncode == 1 and "是会议文书，请用 --meeting 指定会议编号" in done.stderr
    done = run(*data, "--form", "meeting-minutes", "--case", "X", "--meeting-json", str(files["signed"]), "--out", out)
    assert done.returncode == 2 and "--meeting-json 不能与 --case" in done.stderr
    done = run(*data, "--form", "supervision-report", "--meeting-json", str(files["signed"]), "--out", out)
    assert done.returncode == 1 and "未知的字段" in done.stderr  # a meeting's file is not a report
