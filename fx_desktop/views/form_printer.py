"""Builds a case's form off the GUI thread and opens it in the print preview. The form builders and QtPdf are
imported on first use, so they cost nothing at start-up."""
from __future__ import annotations

from typing import Callable

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QMessageBox, QWidget

from ..domain.errors import DomainError
from ..store import Store


def _default_preview(pdf: bytes, name: str, parent: QWidget):
    from ..printing.preview import PrintPreview

    return PrintPreview(pdf, name, parent)


class FormPrinter(QObject):
    def __init__(self, store: Store, tasks, parent: QWidget,
                 open_preview: Callable[[bytes, str, QWidget], object] = _default_preview):
        super().__init__(parent)
        self.store, self.tasks, self.window, self.open_preview = store, tasks, parent, open_preview
        self.preview = None  # the last preview opened (kept alive while shown)

    @staticmethod
    def forms() -> list[tuple[str, str]]:
        from ..printing.forms import FORMS

        return [(spec.name, spec.title) for spec in FORMS.values()]

    def print_form(self, form: str, case_id: str, case_number: str) -> None:
        from ..printing.forms import FORMS, build_form
        from ..services.print_data import dossier

        title = f"{FORMS[form].title}（{case_number}）"

        def done(pdf: bytes) -> None:
            self.preview = self.open_preview(pdf, title, self.window)
            self.preview.show()

        def failed(exc, _trace) -> None:
            text = exc.message if isinstance(exc, DomainError) else str(exc)
            QMessageBox.warning(self.window, self.tr("Cannot print"),
                                self.tr("The document could not be made: %1").replace("%1", text))

        self.tasks.run(lambda: build_form(form, dossier(self.store, case_id)), on_done=done, on_error=failed)
