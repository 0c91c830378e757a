"""Form tests: realistic sample dossiers (a factory), and real PDFs read back — text per page with pypdf, pages as
pixels with pdftoppm — with the text block and footer zone in pixels to check where ink may fall."""
from __future__ import annotations

import io
import re
import subprocess
import tempfile
from dataclasses import replace
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from PIL import Image
from pypdf import PdfReader

from fx_desktop.printing import layout
from fx_desktop.printing.data import (CRITERIA, CaseSheet, Criterion, Material, Opinion, Party, PastRound,
                                      ReviewDossier, Submission)
from fx_desktop.printing.fonts import load_fonts

PERSON = Party("person", "张三", "34052419800101001X", "男", date(1980, 1, 1), None,
               "上海市奉贤区南桥镇江海路88弄3号", "13800138000")
ORG = Party("org", "上海奉贤鑫隆建材有限公司", "91310120MA1HK2XX3Q", None, None, "李国强",
            "上海市奉贤区金海公路1288号", "021-57123456")
FACTS = ("经查，当事人张三未经规划行政管理部门批准，于2025年11月在奉贤区解放东路100号院内擅自搭建彩钢板结构建筑物一处，"
         "面积约30平方米。执法队员现场检查时当事人未能提供建设工程规划许可证。")
REPORT = "当事人违法搭建事实清楚，证据确凿，拟处罚款20,000元，已举行听证，根据《行政处罚法》第五十八条提请法制审核。"
OPINION = "经审核，本案主体合法，事实清楚，证据确凿，适用依据准确，程序合法，裁量适当，同意承办机构意见。"


def sample_case(**overrides) -> CaseSheet:
    values = dict(
        number="奉南城管〔2026〕第00123号", agency="上海市奉贤区南桥镇人民政府", town_name="南桥镇",
        unit="南桥镇城市管理综合行政执法队", cause="未经批准擅自搭建建筑物", category="违法建筑", source="巡查发现",
        party=PERSON, place="奉贤区解放东路100号", occurred_at=datetime(2025, 12, 1, 10, 30), facts=FACTS,
        legal_basis="《上海市城乡规划条例》第四十一条、第七十三条", proposed_penalty="罚款",
        proposed_amount=Decimal("20000"), circumstances=("已举行听证",),
        major_reasons=("对个人“罚款”20,000元，达到5,000元的标准", "已举行听证"),
        officers=(("王磊", "31200001"), ("陈静", "31200002")), status="待法制审核", opened_on=date(2025, 12, 1),
        filed_on=date(2025, 12, 2), decision_due=date(2026, 3, 2),
        evidence=(("现场照片", "IMG_0001.jpg", datetime(2025, 12, 1, 10, 35)),
                  ("询问笔录", "询问笔录-张三.pdf", datetime(2025, 12, 3, 9, 0))))
    values.update(overrides)
    return CaseSheet(**values)


def sample_submission(**overrides) -> Submission:
    values = dict(round_no=1, submitted_at=datetime(2026, 2, 24, 9, 0), submitted_by="王磊",
                  materials=(Material("案卷材料", True), Material("承办人员意见", True),
                             Material("行政处罚决定书（草案）", True), Material("听证笔录", True, "2026年2月10日听证"),
                             Material("法制审核申请报告", False, "补充提交")),
                  report=REPORT, accepted_on=date(2026, 2, 25), due_on=date(2026, 3, 4))
    values.update(overrides)
    return Submission(**values)


def sample_opinion(**overrides) -> Opinion:
    criteria = tuple(Criterion(c, c != "裁量适当", "罚款数额偏高" if c == "裁量适当" else "") for c in CRITERIA)
    values = dict(number="奉南法审〔2026〕3号", criteria=criteria, outcome="建议修改后再报", text=OPINION,
                  reviewer="李明", reviewed_at=datetime(2026, 2, 27, 15, 0), head="赵强")
    values.update(overrides)
    return Opinion(**values)


HELD_HEARING_MATERIALS = ("案卷材料", "承办人员意见", "行政处罚决定书（草案）", "听证笔录", "法制审核申请报告")


def sample_dossier(*, case=None, submission=True, opinion=True, history=(), **case_overrides) -> ReviewDossier:
    """The usual dossier; submission/opinion False leave those steps undone (blank parts)."""
    return ReviewDossier(case=case or sample_case(**case_overrides),
                         submission=sample_submission() if submission is True else (submission or None),
                         opinion=sample_opinion() if opinion is True else (opinion or Opinion()),
                         history=tuple(history), printed_at=datetime(2026, 3, 1, 9, 0),
                         expected_materials=HELD_HEARING_MATERIALS)


PAST = PastRound(1, datetime(2026, 2, 10, 9, 0), "建议修改后再报", "李明", datetime(2026, 2, 12, 10, 0),
                 "证据不足，请补充现场勘验笔录。")


@pytest.fixture(scope="session")
def fonts():
    return load_fonts()


@pytest.fixture
def make_dossier():
    return sample_dossier


# --- reading PDFs back ----------------------------------------------------------------------------------------------
def page_texts(pdf: bytes) -> list[str]:
    return [p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages]


def squeeze(text: str) -> str:
    """Text without any whitespace: line breaks from wrapping and spacing between table cells do not matter."""
    return re.sub(r"\s+", "", text)


FOOTER = re.compile(r"—\s*\d+\s*—|(案号|文号)：\S*|校验码\s*[A-Z2-7]{4}-[A-Z2-7]{4}|第\s*\d+\s*页\s*共\s*\d+\s*页")


def body_text(pdf: bytes) -> str:
    """All pages' text without the footers and whitespace, so text continued across a page break reads on."""
    pages = []
    for text in page_texts(pdf):
        lines = text.rstrip("\n").split("\n")
        pages.append("".join(ln for ln in lines if not FOOTER.fullmatch(ln.strip())))
    return squeeze("".join(pages))


def render(pdf: bytes, dpi: int = 50) -> list[Image.Image]:
    """Every page as a greyscale image (pdftoppm)."""
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "doc.pdf"
        src.write_bytes(pdf)
        subprocess.run(["pdftoppm", "-r", str(dpi), "-gray", "-png", str(src), str(Path(tmp) / "p")], check=True,
                       timeout=120)
        return [Image.open(p).convert("L") for p in sorted(Path(tmp).glob("p-*.png"), key=lambda p: int(p.stem[2:]))]


def zones_px(dpi: int = 50) -> dict[str, tuple[float, float, float, float]]:
    """Text block and footer zone as (left, top, right, bottom) pixels from the top-left corner."""
    k = dpi / 72
    page_h = layout.PAGE_H

    def box(x, y, w, h):
        return (x * k, (page_h - y - h) * k, (x + w) * k, (page_h - y) * k)

    return {"block": box(*layout.BLOCK), "footer": box(*layout.FOOTER_ZONE)}


def ink_outside(image: Image.Image, dpi: int = 50, tolerance: float = 1.5) -> list[tuple[int, int]]:
    """Dark pixels that are neither in the text block nor in the footer zone (grown by `tolerance` pixels)."""
    boxes = [(l - tolerance, t - tolerance, r + tolerance, b + tolerance) for l, t, r, b in zones_px(dpi).values()]
    width, height = image.size
    data = image.load()
    stray = []
    for y in range(height):
        for x in range(width):
            if data[x, y] < 160 and not any(l <= x <= r and t <= y <= b for l, t, r, b in boxes):
                stray.append((x, y))
    return stray


def ink_bbox(image: Image.Image, threshold: int = 160):
    """(left, top, right, bottom) of the dark pixels, or None for a blank page."""
    return image.point(lambda v: 255 if v < threshold else 0).getbbox()


def with_(dossier: ReviewDossier, **case_changes) -> ReviewDossier:
    return replace(dossier, case=replace(dossier.case, **case_changes))
