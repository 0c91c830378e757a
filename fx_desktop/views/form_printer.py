"""Builds a case's form off the GUI thread and opens it in the print preview. The form builders and QtPdf are
imported on first use, so they cost nothing at start-up."""
from __future__ import annotations

from typing import Callable

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QMessageBox, QWidget

from ..domain.errors import DomainError
from ..store import Store


def _default_preview(pdf: bytes, name: str, parent: QWidget, notice: str | None = None):
    from ..printing.preview import PrintPreview

    return PrintPreview(pdf, name, parent, notice=notice)


BUNDLE = "__bundle__"  # every form of the case, bound into one PDF with a bookmark per form


class FormPrinter(QObject):
    def __init__(self, store: Store, tasks, parent: QWidget,
                 open_preview: Callable[..., object] = _default_preview):
        """`open_preview(pdf, name, parent, notice=None)` opens the preview window (tests pass their own)."""
        super().__init__(parent)
        self.store, self.tasks, self.window, self.open_preview = store, tasks, parent, open_preview
        self.preview = None  # the last preview opened (kept alive while shown)

    def forms(self) -> list[tuple[str, str]]:
        """(name, title) of what can be printed for a case, the bound set last."""
        from ..printing.forms import FORMS

        return [(spec.name, spec.title) for spec in FORMS.values()] + [
            (BUNDLE, self.tr("All of the above, bound into one PDF with bookmarks"))]

    def print_form(self, form: str, case_id: str, case_number: str) -> None:
        """`form` is a form name, or BUNDLE for all of them bound together."""
        from ..printing.bundle import combine
        from ..printing.forms import FORMS, build_form, prints_as_draft
        from ..services.print_data import dossier

        names = list(FORMS) if form == BUNDLE else [form]

        def build() -> tuple[bytes, bool]:
            """The PDF, and whether it prints as a draft (a number on it is still provisional)."""
            data = dossier(self.store, case_id)
            draft = prints_as_draft(names, data)
            if form != BUNDLE:
                return build_form(form, data), draft
            return combine([(FORMS[n].title, build_form(n, data)) for n in names]), draft

        name = self.tr("Legal review documents") if form == BUNDLE else FORMS[form].title
        self._build_and_preview(build, f"{name}（{case_number}）")

    def _build_and_preview(self, build: Callable[[], tuple[bytes, bool | str | None]], title: str) -> None:
        """Run `build() -> (pdf, prints as draft)` off the GUI thread, then open the preview titled `title`; the
        draft part may also be the notice itself (why it is a draft, in words), or None."""

        def done(result: tuple[bytes, bool | str | None]) -> None:
            from ..printing.draft import NOTICE  # the printed documents' own words, as `fx-desktop print` says them

            pdf, draft = result
            notice = draft if isinstance(draft, str) else (NOTICE if draft else None)
            self.preview = self.open_preview(pdf, title, self.window, notice=notice)
            self.preview.show()

        def failed(exc, _trace) -> None:
            text = exc.message if isinstance(exc, DomainError) else str(exc)
            QMessageBox.warning(self.window, self.tr("Cannot print"),
                                self.tr("The document could not be made: %1").replace("%1", text))

        self.tasks.run(build, on_done=done, on_error=failed)

    def referral_forms(self) -> list[tuple[str, str]]:
        """(name, title) of the referral's forms: 案件移送函, 移送物品清单, 回执."""
        from ..printing.forms import REFERRAL_FORMS

        return [(spec.name, spec.title) for spec in REFERRAL_FORMS.values()]

    def print_referral(self, form: str, state: dict, number: str, org_name: Callable[[str], str]) -> None:
        """Form `form` of the referral whose state is `state` (plain data), organisations named by `org_name`."""
        from ..printing.forms import REFERRAL_FORMS, build_form, prints_as_draft
        from ..services.print_data import referral_print

        def build() -> tuple[bytes, bool]:
            data = referral_print(state, org_name)
            return build_form(form, data), prints_as_draft([form], data)

        self._build_and_preview(build, f"{REFERRAL_FORMS[form].title}（{number}）")

    def print_police(self, form: str, state: dict, number: str, org_name: Callable[[str], str]) -> None:
        """Form `form` of the police assistance request whose state is `state` (提请公安机关协助函, 公安协助登记表)."""
        from ..printing.forms import POLICE_FORMS, build_form, prints_as_draft
        from ..services.print_data import police_print

        def build() -> tuple[bytes, bool]:
            data = police_print(state, org_name)
            return build_form(form, data), prints_as_draft([form], data)

        self._build_and_preview(build, f"{POLICE_FORMS[form].title}（{number}）")

    def print_criminal_referral(self, form: str, record) -> None:
        """Form `form` of a criminal referral (services.criminal_referrals.CrimeRecord), as `fx-desktop print`
        prints it: organisations by their full official names."""
        from ..printing.crime_data import CrimePrint
        from ..printing.forms import CRIME_FORMS, build_form, prints_as_draft
        from ..services.print_data import referral_names

        org_name = referral_names(self.store)

        def build() -> tuple[bytes, bool]:
            data = CrimePrint.from_state(record.data, org_name)
            return build_form(form, data), prints_as_draft([form], data)

        self._build_and_preview(build, f"{CRIME_FORMS[form].title}（{record.number}）")

    # --- meetings and supervision (issue 14): the pages pass the print data they built -------------------------------
    def meeting_forms(self) -> list[tuple[str, str]]:
        """(name, title) of a meeting's documents: 会议通知, 议程, 签到表, 纪要, 议定事项清单, the bound pack last."""
        from ..printing.forms import MEETING_FORMS

        return [(spec.name, spec.title) for spec in MEETING_FORMS.values()]

    def supervision_forms(self) -> list[tuple[str, str]]:
        """(name, title) of what prints for one supervision sheet (督办单)."""
        from ..printing.forms import SUPERVISION_FORMS

        return [(spec.name, spec.title) for spec in SUPERVISION_FORMS.values()]

    def report_forms(self) -> list[tuple[str, str]]:
        """(name, title) of the periodic supervision report (督办通报)."""
        from ..printing.forms import REPORT_FORMS

        return [(spec.name, spec.title) for spec in REPORT_FORMS.values()]

    def print_meeting(self, form: str, data, label: str) -> None:
        """Form `form` of a meeting: `data` is its MeetingPrint, or a function making it (run off the GUI thread,
        e.g. `lambda: meeting_print(store, meeting_id)`); `label` names it in the window title (its number)."""
        self.print_data(form, data, label)

    def print_supervision(self, form: str, data, label: str) -> None:
        """督办单 from a SupervisionSheet, or 督办通报 from a SupervisionReport (or a function making either)."""
        self.print_data(form, data, label)

    def print_data(self, form: str, data, label: str) -> None:
        """Any form from its print data (or a function making it), previewed with the reason it is a draft, if it
        is one, in the notice bar."""
        from ..printing.forms import build_form, draft_notice, form_spec

        spec = form_spec(form)

        def build() -> tuple[bytes, str | None]:
            value = data() if callable(data) else data
            return build_form(form, value), draft_notice([form], value)

        self._build_and_preview(build, f"{spec.title}（{label}）" if label else spec.title)
