"""Shared fixtures. Each test gets its own data directory and SQLite file under tmp_path."""
import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # before anything can import Qt

from datetime import date, datetime  # noqa: E402

import pytest  # noqa: E402

from fx_desktop.domain.case_draft import CaseDraft, Officer  # noqa: E402
from fx_desktop.domain.identifiers import make_citizen_id  # noqa: E402
from fx_desktop.domain.roles import Role  # noqa: E402
from fx_desktop.paths import DataPaths  # noqa: E402

VALID_PERSON_ID = make_citizen_id("310120", date(1985, 6, 15), 123)


def case_draft(**overrides) -> CaseDraft:
    """A CaseDraft that passes validation: person party with a valid citizen ID, two officers."""
    values = dict(
        source="巡查发现",
        cause="擅自搭建建筑物、构筑物",
        category="违法建筑",
        party_kind="person",
        party_name="李建国",
        party_id_number=VALID_PERSON_ID,
        party_address="奉贤区南桥镇江海路88弄3号",
        party_phone="13800138000",
        place="奉贤区解放东路100号",
        occurred_at=datetime(2025, 12, 1, 10, 30),
        facts="当事人未经规划许可，在解放东路100号擅自搭建彩钢板结构违建约30平方米。",
        legal_basis="《上海市拆除违法建筑若干规定》第四条",
        proposed_penalty="限期拆除",
        proposed_amount="",
        officers=[Officer("王磊", "31200001"), Officer("陈静", "31200002")],
    )
    values.update(overrides)
    return CaseDraft(**values)


@pytest.fixture(autouse=True)
def _no_translator_outlives_its_test(monkeypatch):
    """A test that starts the application in-process (`run_gui`) installs its translators and sets the default
    locale; both are undone afterwards, so the next test file in the same process (pytest-xdist runs many in one
    worker) sees the UI language it expects."""
    try:
        from PySide6.QtCore import QCoreApplication, QLocale
    except ImportError:  # a server-only install has no Qt
        yield
        return
    installed = []
    install = QCoreApplication.installTranslator

    def recording(translator):  # a static method in Qt
        installed.append(translator)
        return install(translator)

    monkeypatch.setattr(QCoreApplication, "installTranslator", staticmethod(recording))
    locale = QLocale()
    yield
    for translator in installed:
        QCoreApplication.removeTranslator(translator)
    QLocale.setDefault(locale)


@pytest.fixture
def make_draft():
    """The case_draft() factory, for tests that want variations of a valid draft."""
    return case_draft


@pytest.fixture
def data_paths(tmp_path) -> DataPaths:
    return DataPaths.at(tmp_path / "data")


@pytest.fixture
def store(data_paths):
    from fx_desktop.store import open_store

    opened = open_store(data_paths)
    try:
        yield opened
    finally:
        opened.close()


@pytest.fixture
def profile(store):
    from fx_desktop.services.profile import save_profile

    return save_profile(store, name="张伟", role=Role.SQUAD_LEADER, town_code="nanqiao")
