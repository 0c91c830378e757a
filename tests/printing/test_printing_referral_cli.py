"""`fx-desktop print` of the referral forms: `--case` prints the case's latest referral (by submission time),
`--referral` a particular one by its number (also on a department's store, which has no cases), the letter is
issued by the town government under its full official name, bad arguments are explained in Chinese, and a referral
submitted before the sync prints as a draft with a warning until fx-bureau's number arrives."""
from __future__ import annotations

import io
from datetime import datetime

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from fx_desktop.domain.lifecycle import CaseStatus
from fx_desktop.domain.roles import Role
from fx_desktop.paths import DataPaths
from fx_desktop.printing.draft import NOTICE
from fx_desktop.services import cases, evidence, referrals
from fx_desktop.services.profile import Profile
from fx_desktop.store import open_store
from fx_desktop.store.models import Case
from tests.conftest import case_draft
from tests.printing.test_printing_cli import Device, bureau, run  # noqa: F401 - the module's server fixture

NOW = datetime(2026, 3, 10, 9, 0)
LEADER = Profile("u-leader", "张伟", Role.SQUAD_LEADER, "nanqiao")
ISSUER = "上海市奉贤区南桥镇人民政府"
ENV, WATER = "上海市奉贤区生态环境局", "上海市奉贤区水务局"  # the departments' full names (reference full_name)


def pages_of(path) -> str:
    return "".join(p.extract_text() for p in PdfReader(io.BytesIO(path.read_bytes())).pages).replace("\n", "")


def investigating(store, party: str, photo, now: datetime = NOW, actor=LEADER) -> str:
    made = cases.create_case(store, actor, case_draft(party_name=party), now=now)
    status = CaseStatus.CLUE
    for action in ("file", "start_investigation"):
        status = cases.change_status(store, actor, made.id, action, expected_status=status, now=now).status
    photo.write_bytes(b"\xff\xd8\xff\xe0" + made.id.encode() * 50)
    evidence.add_evidence(store, actor, made.id, photo)
    return made.id


def refer(store, actor, case_id: str, receiving: str, reason: str, now: datetime | None = None):
    form = referrals.prepare(store, actor, case_id)
    form.update(receiving_org=receiving, reason=reason, legal_basis="《行政处罚法》第二十五条",
                contact={"name": actor.name, "phone": "021-57420000"},
                items=[{"name": "油烟净化器", "spec": "X-200", "quantity": "1", "unit": "台", "condition": "完好",
                        "kept_at": "南桥镇执法队仓库"}])
    return referrals.submit(store, actor, case_id, form, now=now)


@pytest.fixture(scope="module")
def town_dir(tmp_path_factory):
    """A town's data folder (never synced: it numbers its referrals itself) with a case referred twice (the
    first referral withdrawn), a case never referred and a case referred once."""
    root = tmp_path_factory.mktemp("referral-print")
    store = open_store(DataPaths.at(root))
    try:
        twice = investigating(store, "周立波", root / "现场照片1.jpg")
        first = refer(store, LEADER, twice, "sw", "涉及河道管理，属水务部门管辖。", now=NOW)
        referrals.withdraw(store, LEADER, first.id, reason="改为移送区生态环境局。", expected_status="submitted",
                           now=datetime(2026, 3, 11, 9))
        second = refer(store, LEADER, twice, "sthj", "涉及环境污染，不属于城管执法管辖。", now=datetime(2026, 3, 12, 9))
        never = investigating(store, "吴晓梅", root / "现场照片2.jpg")
        with store.sessions() as s:
            numbers = {c.id: c.number for c in s.execute(select(Case)).scalars()}
    finally:
        store.close()
    return root, numbers[twice], numbers[never], first, second


def test_case_prints_its_latest_referral_issued_by_the_town_government(town_dir, tmp_path):
    root, case_no, _, first, second = town_dir
    assert first.number != second.number and not second.provisional
    out = tmp_path / "letter.pdf"
    result = run("print", "--data-dir", str(root), "--form", "referral-letter", "--case", case_no, "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert result.stderr == "" and "案件移送函" in result.stdout
    text = pages_of(out)
    assert second.number in text and f"{ENV}：" in text and "涉及环境污染" in text and "周立波" in text  # addressee
    assert ISSUER in text and first.number not in text and "区水务局" not in text


def test_referral_prints_a_particular_one_and_every_form(town_dir, tmp_path):
    root, _, _, first, _ = town_dir
    for form, words in (("referral-letter", "涉及河道管理"), ("referral-items", "油烟净化器"), ("referral-receipt", "回执")):
        out = tmp_path / f"{form}.pdf"
        result = run("print", "--data-dir", str(root), "--form", form, "--referral", first.number, "--out", str(out))
        assert result.returncode == 0, result.stderr
        text = pages_of(out)
        assert first.number in text and words in text and WATER in text and "None" not in text
    receipt = pages_of(tmp_path / "referral-receipt.pdf")
    assert ISSUER in receipt and f"{WATER}（印章）" in receipt  # 移送单位; the receiver's seal, in full
    assert f"{WATER}：" in pages_of(tmp_path / "referral-letter.pdf")  # the addressee (主送机关), in full


def test_bad_referral_arguments_are_explained(town_dir, tmp_path):
    root, case_no, never, first, _ = town_dir
    out = str(tmp_path / "x.pdf")

    def fails(*args: str):
        result = run("print", "--data-dir", str(root), *args)
        assert result.returncode != 0 and not (tmp_path / "x.pdf").exists()
        return result

    assert "没有编号为“奉南桥综执移〔2026〕9999号”的移送记录" in fails(
        "--form", "referral-letter", "--referral", "奉南桥综执移〔2026〕9999号", "--out", out).stderr
    assert f"案件“{never}”还没有移送记录" in fails("--form", "referral-letter", "--case", never, "--out", out).stderr
    refused = fails("--form", "review-opinion", "--referral", first.number, "--out", out).stderr
    assert "是案件的文书，请用 --case 指定案件编号" in refused
    both = fails("--form", "referral-letter", "--case", case_no, "--referral", first.number, "--out", out)
    assert both.returncode == 2 and "只能选一个" in both.stderr
    missing = fails("--form", "referral-letter", "--out", out)
    assert missing.returncode == 2 and "--case" in missing.stderr and "--referral" in missing.stderr
    assert "没有名为“nonsense”的打印表单" in fails("--form", "nonsense", "--referral", first.number, "--out", out).stderr


def test_a_department_prints_by_referral_number_and_a_draft_becomes_official_after_the_sync(bureau, tmp_path):
    bureau.add_user("zhou", "department_liaison", "sthj", "周敏")
    town, dept = Device(tmp_path / "town", bureau, "zhang"), Device(tmp_path / "dept", bureau, "zhou")
    case_id = investigating(town.store, "钱多多", tmp_path / "现场照片.jpg", now=datetime.now(),
                            actor=town.profile)
    town.sync()  # the case is on the server; the referral is submitted offline
    record = refer(town.store, town.profile, case_id, "sthj", "涉及环境污染，不属于城管执法管辖。")
    case_no = cases.get_case(town.store, case_id).number
    assert record.provisional
    town.close()
    draft = tmp_path / "draft.pdf"
    result = run("print", "--data-dir", str(town.paths.root), "--form", "referral-letter", "--case", case_no,
                 "--out", str(draft))
    assert result.returncode == 0, result.stderr
    assert "草稿" in result.stderr and NOTICE in result.stderr and "fx-desktop sync" in result.stderr
    assert "草稿" in pages_of(draft)

    town.store = open_store(town.paths)
    town.sync()
    official = referrals.get(town.store, record.id).number
    town.close()
    assert official != record.number and not official.startswith("临时")
    dept.sync()
    with dept.store.sessions() as s:
        assert s.execute(select(Case)).first() is None  # a department's store has no cases
    dept.close()
    for form in ("referral-letter", "referral-receipt"):
        out = tmp_path / f"dept-{form}.pdf"
        result = run("print", "--data-dir", str(dept.paths.root), "--form", form, "--referral", official,
                     "--out", str(out))
        assert result.returncode == 0 and result.stderr == "", result.stderr
        text = pages_of(out)
        assert official in text and ISSUER in text and ENV in text and "草稿" not in text
    result = run("print", "--data-dir", str(dept.paths.root), "--form", "referral-letter", "--case", case_no,
                 "--out", str(tmp_path / "none.pdf"))
    assert result.returncode == 1 and f"本机没有编号为“{case_no}”的案件" in result.stderr
