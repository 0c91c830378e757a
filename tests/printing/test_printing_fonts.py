"""Font discovery and the glyph check: the configured file wins, an unusable one is explained, role-by-role fallback,
CFF/OpenType files are skipped, no font at all gives an install hint; characters a font lacks stop the build before
any PDF is made, naming the field and the characters."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from fx_desktop.printing import fonts as fonts_module
from fx_desktop.printing import layout
from fx_desktop.printing.fonts import FontMissing, load_fonts
from fx_desktop.printing.forms import build_form
from fx_desktop.printing.glyphs import MissingGlyphs, check_glyphs
from tests.printing.conftest import sample_dossier, sample_opinion, with_

UMING = "/usr/share/fonts/truetype/arphic/uming.ttc"
WQY = "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"


@pytest.fixture(autouse=True)
def no_configured_font(monkeypatch):
    monkeypatch.delenv("FX_PRINT_FONT", raising=False)


def font_dir(tmp_path: Path, **files: str) -> Path:
    """A fonts directory with the given names linked to real font files (or given bytes written)."""
    d = tmp_path / "fonts"
    (d / "sub").mkdir(parents=True, exist_ok=True)
    for name, source in files.items():
        target = d / "sub" / name.replace("__", ".")
        if isinstance(source, bytes):
            target.write_bytes(source)
        else:
            target.symlink_to(source)
    return d


def test_the_installed_free_fonts_serve_every_role():
    fs = load_fonts()
    assert fs.body.family == "AR PL UMing CN" and fs.heading.family == "WenQuanYi Zen Hei"
    assert fs.title.path == UMING and fs.kai.path == UMING
    assert fs.body.covers("见") and not fs.body.covers("😀")


def test_fonts_are_registered_once(monkeypatch):
    from reportlab.pdfbase import pdfmetrics, ttfonts

    first = load_fonts()
    parsed = []
    monkeypatch.setattr(ttfonts, "TTFont", lambda *a, **kw: parsed.append(a))
    monkeypatch.setattr(pdfmetrics, "registerFont", lambda font: parsed.append(font))
    assert all(load_fonts() is first for _ in range(100))
    assert parsed == []  # cached: no font file is parsed or registered again


def test_importing_printing_has_no_side_effects():
    script = ("import fx_desktop.printing.forms, fx_desktop.printing.fonts\n"
              "from reportlab.pdfbase import pdfmetrics\n"
              "print([n for n in pdfmetrics.getRegisteredFontNames() if n.startswith('FX-')])")
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[]"


def test_the_configured_font_wins(tmp_path, monkeypatch):
    fs = load_fonts(WQY, search_dirs=[font_dir(tmp_path, uming__ttc=UMING)])
    assert {f.path for f in fs.faces()} == {WQY}
    monkeypatch.setenv("FX_PRINT_FONT", UMING)
    fs = load_fonts(search_dirs=[font_dir(tmp_path, **{"wqy-zenhei__ttc": WQY})])
    assert fs.body.path == UMING and fs.heading.path == UMING
    pdf = build_form("case-briefing", sample_dossier(), fonts=fs)
    assert b"UMingCN" in pdf and b"WenQuanYi" not in pdf


def test_a_subfont_of_a_collection_can_be_configured():
    fs = load_fonts(f"{WQY}#1")
    assert fs.body.family == "WenQuanYi Zen Hei Mono"


@pytest.mark.parametrize("content, reason", [
    (None, "不存在"),
    (b"OTTO" + b"\0" * 200, "CFF"),
    (b"ttcf\0\1\0\0\0\0\0\1\0\0\0\20OTTO" + b"\0" * 200, "CFF"),
    (b"not a font at all" * 20, "不是 TrueType 字体文件"),
])
def test_an_unusable_configured_font_is_explained(tmp_path, content, reason):
    path = tmp_path / "NotoSansCJK-Regular.otf"
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(FontMissing) as err:
        load_fonts(str(path), search_dirs=[])
    message = str(err.value)
    assert str(path) in message and reason in message and "FX_PRINT_FONT" in message
    assert err.value.field == "FX_PRINT_FONT"


def test_roles_fall_back_one_by_one(tmp_path):
    only_hei = load_fonts(search_dirs=[font_dir(tmp_path, **{"wqy-zenhei__ttc": WQY})])
    assert {f.path for f in only_hei.faces()} == {str(font_dir(tmp_path) / "sub" / "wqy-zenhei.ttc")}


def test_official_font_names_are_preferred(tmp_path):
    """An installed 黑体 (simhei.ttf) takes the heading role; the other roles use what else is there."""
    d = font_dir(tmp_path, simhei__ttf=WQY, UMING__TTC=UMING)  # file names match case-insensitively
    fs = load_fonts(search_dirs=[d])
    assert fs.heading.path.endswith("simhei.ttf")
    assert fs.body.path.endswith("UMING.TTC") and fs.title.path.endswith("UMING.TTC")


def test_cff_fonts_are_skipped_and_no_font_at_all_says_what_to_install(tmp_path):
    d = font_dir(tmp_path, **{"wqy-zenhei__ttc": b"OTTO" + b"\0" * 100, "uming__ttc": b"garbage" * 10})
    for dirs in ([d], [tmp_path / "empty"]):
        with pytest.raises(FontMissing) as err:
            load_fonts(search_dirs=dirs)
        message = str(err.value)
        assert "fonts-arphic-uming" in message and "仿宋_GB2312" in message and "FX_PRINT_FONT" in message


def test_the_default_search_dirs_are_the_system_font_directories(monkeypatch):
    dirs = fonts_module.default_search_dirs()
    if sys.platform.startswith("linux"):
        assert "/usr/share/fonts" in dirs and os.path.expanduser("~/.fonts") in dirs


def test_a_character_missing_from_the_font_stops_the_build_before_any_pdf(monkeypatch):
    def no_pdf(*args, **kwargs):
        raise AssertionError("a PDF was started")

    monkeypatch.setattr(layout, "document", no_pdf)
    dossier = with_(sample_dossier(), facts="当事人在现场😀拒绝签字\U0010FFFF。", cause="擅自搭建𪚥建筑物")
    for name in ("review-request", "review-opinion", "case-briefing"):
        with pytest.raises(MissingGlyphs) as err:
            build_form(name, dossier)
        message = str(err.value)
        assert "违法事实" in message and "“😀”(U+1F600)" in message and "U+10FFFF" in message
        assert "案由" in message and "U+2A6A5" in message
        assert dict(err.value.missing)["违法事实"] == "😀\U0010FFFF"


def test_the_opinion_text_is_checked_too():
    dossier = sample_dossier(opinion=sample_opinion(text="同意🙂"))
    with pytest.raises(MissingGlyphs) as err:
        build_form("review-opinion", dossier)
    assert err.value.field == "具体审核意见" and "U+1F642" in str(err.value)


def test_the_glyph_check_ignores_line_breaks_and_reports_each_character_once():
    face = load_fonts().body
    check_glyphs([("说明", "第一行\r\n第二行\t完", face)])
    with pytest.raises(MissingGlyphs) as err:
        check_glyphs([("备注", "😀😀a😀", face), ("说明", "好", face)])
    assert err.value.missing == [("备注", "😀")]
