"""The package for the police (国务院令310 art. 6): the 涉嫌犯罪案件移送书 with its 回执, the investigation report and
the 涉案物品清单 bound into one PDF, one bookmark per document."""
from __future__ import annotations

from ..bundle import combine
from ..crime_data import CrimePrint
from . import crime_items, crime_letter, crime_report

FORM_NAME = "crime-package"
TITLE = "涉嫌犯罪案件移送材料（合订）"
numbers = crime_letter.numbers
PARTS = (crime_letter, crime_report, crime_items)


def build(crime: CrimePrint, *, fonts=None) -> bytes:
    return combine([(m.TITLE, m.build(crime, fonts=fonts)) for m in PARTS])
