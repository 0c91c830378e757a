"""`fx-desktop print` from a script: lists the forms, prints a case's forms to PDF files that parse back with the
case's data, prints blank parts for steps not taken yet, explains bad arguments in Chinese, and prints an opinion
numbered before the sync as a draft, with a warning, until the official number arrives from a real fx-bureau."""
from __future__ import annotations

import io
import subprocess
import sys
from datetime import datetime

import pytest
from pypdf import PdfReader

from fx_desktop.domain import legal_review as lr
from fx_desktop.domain.lifecycle import CaseStatus
from fx_desktop.domain.roles import Role
from fx_desktop.paths import DataPaths
from fx_desktop.printing.draft import BANNER, NOTICE
from fx_desktop.services import cases, legal_review
from fx_desktop.services.profile import Profile
from fx_desktop.store import open_store
from fx_desktop.sync import account
from fx_desktop.sync.credentials import MemoryCredentials
from fx_desktop.sync.engine import SyncEngine
from fx_desktop.sync.transport import BureauClient
from tests.conftest import case_draft
from tests.support.bureau import PASSWORD, standard

NOW = datetime(2026, 3, 10, 9, 0)
LEADER = Profile("u-leader", "张伟", Role.SQUAD_LEADER, "nanqiao")
REVIEWER = Profile("u-reviewer", "赵敏", Role.LEGAL_REVIEWER, "nanqiao")
ALL_MET = {k: {"passed": True, "note": ""} for k, _ in lr.CRITERIA}


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "fx_desktop", *args], capture_output=True, text=True,
                          encoding="utf-8", timeout=120)


def text_of(path) -> str:
    return "".join(p.extract_text() for p in PdfReader(io.BytesIO(path.read_bytes())).pages).replace("\n", "")


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory):
    root = tmp_path_factory.mktemp("print-data")
    store = open_store(DataPaths.at(root))
    try:
        reviewed = cases.create_case(store, LEADER, case_draft(proposed_penalty="罚款", proposed_amount="20000",
                                                               party_name="周立波"), now=NOW)
        fresh = cases.create_case(store, LEADER, case_draft(party_name="吴晓梅"), now=NOW)
        status = CaseStatus.CLUE
        for action in ("file", "start_investigation", "close_investigation", "notify"):
            status = cases.change_status(store, LEADER, reviewed.id, action, expected_status=status, now=NOW).status
        review = legal_review.submit(store, LEADER, reviewed.id, now=NOW, report="拟罚款二万元，提请审核。",
                                     materials=["case_file", "officer_opinion", "draft_decision", "request_report"])
        legal_review.record_verdict(store, REVIEWER, reviewed.id, review.id, outcome="agree",
                                    opinion="事实清楚，证据确凿，同意。", criteria=ALL_MET, now=NOW)
    finally:
        store.close()
    return root, reviewed.number, fresh.number


def test_list_forms():
    result = run("print", "--list-forms")
    assert result.returncode == 0, result.stderr
    names = [line.split("\t")[0] for line in result.stdout.splitlines()]
    assert {"review-request", "review-opinion", "case-briefing"} <= set(names)
    assert {"referral-letter", "referral-items", "referral-receipt"} <= set(names)
    assert "法制审核意见书" in result.stdout and "referral-letter\t案件移送函" in result.stdout


def test_every_form_of_a_reviewed_case(data_dir, tmp_path):
    root, number, _ = data_dir
    for form in ("review-request", "review-opinion", "case-briefing"):
        out = tmp_path / f"{form}.pdf"
        result = run("print", "--data-dir", str(root), "--form", form, "--case", number, "--out", str(out))
        assert result.returncode == 0, result.stderr
        text = text_of(out)
        assert number in text and "周立波" in text
    opinion = text_of(tmp_path / "review-opinion.pdf")
    assert "事实清楚，证据确凿，同意。" in opinion and "奉南桥法审〔2026〕1号" in opinion and "赵敏" in opinion


def test_a_form_before_its_step_prints_blank_parts(data_dir, tmp_path):
    root, _, number = data_dir
    out = tmp_path / "blank.pdf"
    result = run("print", "--data-dir", str(root), "--form", "review-opinion", "--case", number, "--out", str(out))
    assert result.returncode == 0, result.stderr
    text = text_of(out)
    assert number in text and "吴晓梅" in text and "None" not in text


def test_bad_arguments_are_explained(data_dir, tmp_path):
    root, number, _ = data_dir
    result = run("print", "--data-dir", str(root), "--form", "review-opinion", "--case", "不存在的编号",
                 "--out", str(tmp_path / "x.pdf"))
    assert result.returncode == 1 and "没有编号为“不存在的编号”的案件" in result.stderr
    result = run("print", "--data-dir", str(root), "--form", "nonsense", "--case", number,
                 "--out", str(tmp_path / "x.pdf"))
    assert result.returncode == 1 and "review-opinion" in result.stderr
    result = run("print", "--data-dir", str(root), "--form", "review-opinion", "--case", number,
                 "--out", str(tmp_path / "missing-dir" / "x.pdf"))
    assert result.returncode == 1 and "无法写入" in result.stderr
    result = run("print", "--data-dir", str(root), "--form", "review-opinion")
    assert result.returncode == 2 and "--case" in result.stderr and "--out" in result.stderr
    assert not (tmp_path / "x.pdf").exists()


@pytest.fixture(scope="module")
def bureau(tmp_path_factory):
    server = standard("sqlite", tmp_path_factory.mktemp("bureau")).start()
    yield server
    server.close()


class Device:
    """A data folder logged in to the bureau; the store is closed between steps so `fx-desktop print` can open it."""

    def __init__(self, root, bureau, username: str):
        self.paths, self.client, self.creds = DataPaths.at(root), BureauClient(bureau.url), MemoryCredentials()
        self.store = open_store(self.paths)
        self.account = account.login(self.store, self.client, self.creds, username=username, password=PASSWORD)
        self.profile = self.account.profile

    def sync(self) -> None:
        report = SyncEngine(self.store, self.client, self.account, self.creds).run()
        assert report.ok, report.summary()

    def close(self) -> None:
        self.store.close()


def test_an_opinion_printed_before_the_sync_is_a_draft_until_the_official_number_arrives(bureau, tmp_path):
    leader, reviewer = Device(tmp_path / "leader", bureau, "zhang"), Device(tmp_path / "reviewer", bureau, "reviewer")
    made = cases.create_case(leader.store, leader.profile, case_draft(proposed_penalty="罚款", proposed_amount="30000"))
    status = CaseStatus.CLUE
    for action in ("file", "start_investigation", "close_investigation", "notify"):
        status = cases.change_status(leader.store, leader.profile, made.id, action, expected_status=status).status
    legal_review.submit(leader.store, leader.profile, made.id, report="拟罚款三万元，提请审核。",
                        materials=["case_file", "officer_opinion", "draft_decision", "request_report"])
    leader.sync()
    leader.close()
    reviewer.sync()
    pending = legal_review.reviews_of(reviewer.store, made.id)[-1]
    legal_review.record_verdict(reviewer.store, reviewer.profile, made.id, pending.id, outcome="agree",
                                opinion="事实清楚，证据确凿，同意。", criteria=ALL_MET)  # offline: not synced yet
    number = cases.get_case(reviewer.store, made.id).number
    provisional = legal_review.reviews_of(reviewer.store, made.id)[-1].opinion_number
    assert provisional.startswith("临时编号") and not number.startswith("临时")
    reviewer.close()

    def print_form(form: str, out) -> tuple[subprocess.CompletedProcess, list[str]]:
        result = run("print", "--data-dir", str(reviewer.paths.root), "--form", form, "--case", number, "--out",
                     str(out))
        assert result.returncode == 0, result.stderr
        return result, [p.extract_text().replace("\n", "").replace(" ", "")
                        for p in PdfReader(io.BytesIO(out.read_bytes())).pages]

    result, pages = print_form("review-opinion", tmp_path / "draft.pdf")
    assert "草稿" in result.stderr and NOTICE in result.stderr and "fx-desktop sync" in result.stderr
    for page in pages:
        assert BANNER.replace(" ", "") in page and f"文号：待分配（{provisional}）" in page
    assert "听证笔录" not in "".join(pages)  # no hearing was held, none was submitted
    result, pages = print_form("review-request", tmp_path / "request.pdf")  # its case number is official
    assert result.stderr == "" and "草稿" not in "".join(pages) and "听证笔录" not in "".join(pages)

    reviewer.store = open_store(reviewer.paths)
    reviewer.sync()  # the official opinion number arrives
    official = legal_review.reviews_of(reviewer.store, made.id)[-1].opinion_number
    reviewer.close()
    assert official.startswith("奉南桥法审〔")
    result, pages = print_form("review-opinion", tmp_path / "final.pdf")
    assert result.stderr == ""
    text = "".join(pages)
    assert f"文号：{official}" in text and "草稿" not in text and "临时编号" not in text
