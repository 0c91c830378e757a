"""The forms of a criminal referral (涉嫌犯罪案件移送): the squad's report to the head (team, report, attached
inspection or appraisal reports, seized items, a fine already paid, the police organisation) and one small form per
later step. Each calls the service it is given on OK and stays open, with the domain's message next to the field it
names, when refused; what was typed is kept."""
from __future__ import annotations

from datetime import datetime
from typing import Callable

from PySide6.QtCore import QDate, QDateTime, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDateTimeEdit,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QScrollArea,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ..domain import criminal_referral as cr
from ..domain.organisations import Organisation
from .field_widgets import FieldBox, LimitedCellDelegate, LimitedTextEdit, limit_line
from .referral_steps import _chosen, _radios
from .referral_tables import _button, _table, _table_above_buttons
from .review_dialogs import _ServiceDialog

TEAM_KEYS = ("name", "cert_no")
ITEM_KEYS = ("name", "quantity", "unit", "features", "kept_at", "measure")


def _text(key: str, name: str, lines: int = 3) -> LimitedTextEdit:
    edit = LimitedTextEdit(key)
    edit.setObjectName(name)
    edit.setTabChangesFocus(True)
    edit.setMinimumHeight(edit.fontMetrics().lineSpacing() * lines + 12)
    return edit


class RowsTable(QWidget):
    """An editable list of text rows (the team, the seized items) read back as dicts of `keys`."""

    def __init__(self, name: str, keys: tuple[str, ...], headers: list[str], limit: str, parent=None):
        super().__init__(parent)
        self.keys = keys
        self.table = _table(headers)
        self.table.setObjectName(name)
        self.table.setItemDelegate(LimitedCellDelegate({c: limit for c in range(len(keys))}, self.table))
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        add = _button(self.tr("Add"), f"{name}_add", self.add_row)
        remove = _button(self.tr("Remove"), f"{name}_remove", lambda: self.table.removeRow(self.table.currentRow()))
        _table_above_buttons(self, self.table, (add, remove))

    def rows(self) -> list[dict]:
        self.table.setCurrentItem(None)  # commits a cell still being edited
        out = []
        for r in range(self.table.rowCount()):
            row = {k: (self.table.item(r, c).text().strip() if self.table.item(r, c) else "")
                   for c, k in enumerate(self.keys)}
            if any(row.values()):
                out.append(row)
        return out

    def set_rows(self, rows: list[dict]) -> None:
        self.table.setRowCount(0)
        for row in rows:
            self.add_row(row)

    def add_row(self, row: dict | None = None) -> None:
        r = self.table.rowCount()
        self.table.insertRow(r)
        for c, k in enumerate(self.keys):
            self.table.setItem(r, c, QTableWidgetItem(str((row or {}).get(k) or "")))


def attachment_kind(name: str) -> str:
    """A first guess of what an evidence file is, by its name (the squad corrects it in the report if need be)."""
    if "鉴定" in name:
        return "鉴定意见"
    if "检验" in name or "检测" in name:
        return "检验报告"
    return "其他材料"


class CrimeReportDialog(_ServiceDialog):
    """移送涉嫌犯罪案件的书面报告: `prepared` from services.criminal_referrals.prepare; `submit(form)` the service."""

    def __init__(self, case_number: str, prepared: dict, police: list[Organisation], submit: Callable[[dict], object],
                 parent: QWidget | None = None):
        super().__init__(self.tr("Refer case %1 to the police").replace("%1", case_number), parent)
        self._submit, self.prepared = submit, prepared
        self.police = QComboBox()
        self.police.setObjectName("crime_police")
        self.police.addItem("", None)
        for org in police:
            self.police.addItem(org.name, org.code)
        self.suspicion = _text("crime_suspicion", "crime_suspicion", 2)
        self.suspicion.setPlaceholderText(self.tr("The suspected offence and the provision of the Criminal Law"))
        self.suspicion.setMaximumHeight(self.suspicion.fontMetrics().lineSpacing() * 3 + 12)
        self.report = _text("crime_report", "crime_report", 6)
        self.report.setPlainText(prepared.get("report") or "")
        self.team = RowsTable("crime_team", TEAM_KEYS, [self.tr("Officer"), self.tr("Certificate no.")],
                              "officer_name")
        self.team.set_rows(prepared.get("team") or [])
        self.team.table.setMaximumHeight(self.team.table.verticalHeader().defaultSectionSize() * 4 + 8)
        self.attachments = QListWidget()
        self.attachments.setObjectName("crime_attachments")
        for e in prepared.get("evidence") or []:
            item = QListWidgetItem(f"{e['title']}（{attachment_kind(e['title'])}）")
            item.setData(Qt.ItemDataRole.UserRole, {**e, "kind": attachment_kind(e["title"])})
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if attachment_kind(e["title"]) != "其他材料"
                               else Qt.CheckState.Unchecked)
            self.attachments.addItem(item)
        self.attachments.setMaximumHeight(self.attachments.fontMetrics().height() * 5 + 12)
        self.items = RowsTable("crime_items", ITEM_KEYS, [self.tr("Item"), self.tr("Quantity"), self.tr("Unit"),
                                                          self.tr("Features"), self.tr("Where kept"),
                                                          self.tr("Measure taken")], "item_text")
        self.fine = QCheckBox(self.tr("A fine was already paid (recorded for the court to offset)"))
        self.fine.setObjectName("crime_fine")
        self.fine_amount = limit_line(QLineEdit(), "crime_short")
        self.fine_amount.setObjectName("crime_fine_amount")
        self.fine_amount.setPlaceholderText(self.tr("Amount in yuan"))
        self.fine_on = QDateEdit(QDate.currentDate())
        self.fine_on.setCalendarPopup(True)
        self.fine_on.setDisplayFormat("yyyy-MM-dd")
        for w in (self.fine_amount, self.fine_on):
            w.setEnabled(False)
            self.fine.toggled.connect(w.setEnabled)
        self.phone = limit_line(QLineEdit((prepared.get("contact") or {}).get("phone") or ""), "contact_phone")
        self.phone.setObjectName("crime_phone")
        fine_row = QWidget()
        fr = QHBoxLayout(fine_row)
        fr.setContentsMargins(0, 0, 0, 0)
        fr.addWidget(self.fine)
        fr.addWidget(self.fine_amount)
        fr.addWidget(self.fine_on)
        self.field_boxes = {"receiving_org": FieldBox(self.police),
                            "suspicion": FieldBox(self.suspicion), "report": FieldBox(self.report),
                            "team": FieldBox(self.team), "attachments": FieldBox(self.attachments),
                            "items": FieldBox(self.items), "fine_paid": FieldBox(fine_row),
                            "contact": FieldBox(self.phone)}
        self.field_boxes["org"] = self.field_boxes["receiving_org"]
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.addRow(self.tr("Police organisation *"), self.field_boxes["receiving_org"])
        form.addRow(self.tr("Referral team (two officers or more, with certificates) *"), self.field_boxes["team"])
        form.addRow(self.tr("Suspected offence *"), self.field_boxes["suspicion"])
        form.addRow(self.tr("Investigation report *"), self.field_boxes["report"])
        form.addRow(self.tr("Inspection or appraisal reports attached"), self.field_boxes["attachments"])
        form.addRow(self.tr("Seized items"), self.field_boxes["items"])
        form.addRow(self.tr("Fine already paid"), self.field_boxes["fine_paid"])
        form.addRow(self.tr("Contact phone"), self.field_boxes["contact"])
        body = QWidget()
        body.setLayout(form)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setWidget(body)
        note = QLabel(self.tr("The report goes to the head, who decides within 3 days; once approved the case must "
                              "reach the police within 24 hours."))
        note.setWordWrap(True)
        self.ok_button.setText(self.tr("Submit report"))
        self.ok_button.setObjectName("crime_report_submit")
        lay = QVBoxLayout(self)
        lay.addWidget(note)
        lay.addWidget(scroll, 1)
        lay.addWidget(self.error)
        lay.addWidget(self.buttons)
        avail = (parent or self).screen().availableGeometry()
        self.resize(min(980, avail.width() - 40), min(760, avail.height() - 40))

    def form(self) -> dict:
        chosen = [self.attachments.item(i).data(Qt.ItemDataRole.UserRole) for i in range(self.attachments.count())
                  if self.attachments.item(i).checkState() == Qt.CheckState.Checked]
        fine = {"amount": self.fine_amount.text().strip(), "paid_on": self.fine_on.date().toString("yyyy-MM-dd")} \
            if self.fine.isChecked() else None
        return {"receiving_org": self.police.currentData(), "suspicion": self.suspicion.toPlainText(),
                "report": self.report.toPlainText(), "team": self.team.rows(),
                "attachments": [{"evidence_id": a["evidence_id"], "title": a["title"], "kind": a["kind"]}
                                for a in chosen],
                "items": self.items.rows(), "fine_paid": fine,
                "contact": {**(self.prepared.get("contact") or {}), "phone": self.phone.text()}}

    def submit(self):
        return self._submit(self.form())


# --- the later steps -------------------------------------------------------------------------------------------------

def _police_names(police: list[Organisation], exclude: str | None) -> list[tuple[str, str]]:
    return [(o.name, o.code) for o in police if o.code != exclude]


class CrimeStepDialog(_ServiceDialog):
    """One later step: its fields (by step), when it happened (for a step entered afterwards), the reason for a
    delay (required by the domain only when its clock has run out) and, when the squad enters a police step, why.
    `submit(args)` runs the service with the arguments the domain reads."""

    def __init__(self, step: str, record, *, user_name: str, squad_for_police: bool, police: list[Organisation],
                 submit: Callable[[dict], object], now: datetime | None = None, parent: QWidget | None = None):
        super().__init__(f"{cr.STEP_LABELS[step]} · {record.number}", parent)
        self.step, self._submit = step, submit
        self.widgets: dict[str, QWidget] = {}
        self.groups: dict = {}
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        for key, kind, label, default in self._fields(step, user_name, police, record):
            if kind == "radios":
                box, group = _radios(self, default)
                group.buttons()[0].setChecked(True)
                self.groups[key] = group
                widget = box
            elif kind == "org":
                widget = QComboBox()
                for name, code in default:
                    widget.addItem(name, code)
            elif kind == "text":
                widget = _text("crime_text", f"crime_{key}", 2)
            else:
                widget = limit_line(QLineEdit(default or ""), kind)
            widget.setObjectName(f"crime_{key}")
            self.widgets[key] = widget
            self.field_boxes[key] = FieldBox(widget)
            form.addRow(label, self.field_boxes[key])
        now = now or datetime.now()
        self.when = QDateTimeEdit(QDateTime(now.date(), now.time().replace(microsecond=0)))
        self.when.setObjectName("crime_when")
        self.when.setCalendarPopup(True)
        self.when.setDisplayFormat("yyyy-MM-dd HH:mm")
        self.when.setMaximumDateTime(QDateTime(now.date(), now.time()))
        self.field_boxes["when"] = FieldBox(self.when)
        form.addRow(self.tr("When it happened *"), self.field_boxes["when"])
        self.delay = _text("crime_text", "crime_delay_reason", 2)
        self.delay.setPlaceholderText(self.tr("Only when the deadline has passed: why it is late"))
        self.field_boxes["delay_reason"] = FieldBox(self.delay)
        form.addRow(self.tr("Reason for the delay"), self.field_boxes["delay_reason"])
        self.on_behalf = None
        if squad_for_police:
            self.on_behalf = _text("crime_text", "crime_on_behalf_reason", 2)
            self.on_behalf.setPlaceholderText(self.tr(
                "Entered for the police: required when the police organisation has an account (e.g. the written "
                "receipt was received)"))
            self.field_boxes["on_behalf_reason"] = FieldBox(self.on_behalf)
            form.addRow(self.tr("Why the squad enters it"), self.field_boxes["on_behalf_reason"])
        self._started = now
        lay = QVBoxLayout(self)
        lay.addLayout(form)
        lay.addWidget(self.error)
        lay.addWidget(self.buttons)
        self.resize(620, self.sizeHint().height())

    def _fields(self, step: str, user: str, police: list[Organisation], record) -> list[tuple]:
        tr = self.tr
        if step == "decide_criminal_referral":
            return [("approve", "radios", tr("Decision *"), [(tr("Approve the referral"), True, "crime_approve_yes"),
                                                             (tr("Refuse"), False, "crime_approve_no")]),
                    ("reasons", "text", tr("Reasons (required for a refusal)"), None),
                    ("head", "contact_name", tr("Head who decided"), user)]
        if step == "send_criminal_referral":
            return [("how", "crime_short", tr("How it was delivered"), "专人递交")]
        if step == "receipt_criminal_referral":
            return [("signed_by", "contact_name", tr("Signed by *"), user)]
        if step == "pass_on_criminal_referral":
            return [("to_org", "org", tr("Competent organ *"), _police_names(police, record.receiving_org)),
                    ("notice", "text", tr("Written notice to the squad *"), None)]
        if step == "police_decide_criminal_referral":
            return [("result", "radios", tr("Decision *"), [(tr("Open a criminal case (立案)"), "filed",
                                                             "crime_result_filed"),
                                                            (tr("Not open a case (不予立案)"), "not_filed",
                                                             "crime_result_not_filed")]),
                    ("reasons", "text", tr("Reasons (required for 不予立案)"), None),
                    ("their_number", "crime_short", tr("Police case number"), "")]
        if step == "decide_crime_reconsideration":
            return [("result", "radios", tr("Decision on reconsideration *"), [
                (tr("Open a criminal case (立案)"), "filed", "crime_recon_filed"),
                (tr("Uphold 不予立案"), "upheld", "crime_recon_upheld")]),
                ("reasons", "text", tr("Reasons (required when upheld)"), None)]
        if step in ("request_crime_reconsideration", "request_crime_supervision"):
            return [("reasons", "text", tr("Reasons *"), None)]
        if step == "hand_over_criminal_referral":
            return [("materials", "text", tr("Remaining materials handed over *"), None),
                    ("handed_by", "contact_name", tr("Handed over by *"), user),
                    ("received_by", "contact_name", tr("Received by (police) *"), ""),
                    ("note", "text", tr("Note (items not handed over and why)"), None)]
        raise ValueError(step)

    def args(self) -> dict:
        out: dict = {"when": self.when.dateTime().toPython().replace(microsecond=0).isoformat(timespec="seconds"),
                     "delay_reason": self.delay.toPlainText()}
        if self.on_behalf is not None:
            out["on_behalf_reason"] = self.on_behalf.toPlainText()
        for key, widget in self.widgets.items():
            if key in self.groups:
                out[key] = _chosen(self.groups[key])
            elif isinstance(widget, QComboBox):
                out[key] = widget.currentData()
            elif isinstance(widget, LimitedTextEdit):
                out[key] = widget.toPlainText()
            else:
                out[key] = widget.text()
        return out

    def submit(self):
        return self._submit(self.args())


class PoliceReturnDialog(_ServiceDialog):
    """The reverse route (国务院令310 art. 13), for a police liaison: a case that needs an administrative penalty,
    not prosecution, sent to a town with the police's letter, reason, the case's facts and the materials (files).
    `submit(**kwargs)` runs services.criminal_referrals.police_return; the case reaches the town at the next sync."""

    def __init__(self, towns: list[Organisation], categories: list[str], submit: Callable[..., object],
                 parent: QWidget | None = None):
        super().__init__(self.tr("Refer a case to a town for an administrative penalty"), parent)
        self._submit = submit
        self.files: list[str] = []
        self.town = QComboBox()
        self.town.setObjectName("return_town")
        self.town.addItem("", None)
        for org in towns:
            self.town.addItem(org.name, org.code)
        self.letter = limit_line(QLineEdit(), "crime_short")
        self.letter.setObjectName("return_letter")
        self.reason = _text("crime_text", "return_reason", 2)
        self.party_kind = QComboBox()
        self.party_kind.addItem(self.tr("Person"), "person")
        self.party_kind.addItem(self.tr("Organisation"), "org")
        self.party_name = limit_line(QLineEdit(), "party_name")
        self.party_id = limit_line(QLineEdit(), "party_id_number")
        self.cause = limit_line(QLineEdit(), "cause")
        self.category = QComboBox()
        self.category.addItems(categories)
        self.place = limit_line(QLineEdit(), "place")
        now = datetime.now()
        self.occurred = QDateTimeEdit(QDateTime(now.date(), now.time().replace(second=0, microsecond=0)))
        self.occurred.setCalendarPopup(True)
        self.occurred.setDisplayFormat("yyyy-MM-dd HH:mm")
        self.facts = _text("facts", "return_facts", 4)
        self.file_list = QListWidget()
        self.file_list.setObjectName("return_files")
        self.file_list.setMaximumHeight(self.file_list.fontMetrics().height() * 4 + 12)
        add = QPushButton(self.tr("Add files…"))
        add.setObjectName("return_add_files")
        add.clicked.connect(self._choose_files)
        files_box = QWidget()
        fl = QVBoxLayout(files_box)
        fl.setContentsMargins(0, 0, 0, 0)
        fl.addWidget(self.file_list)
        fl.addWidget(add, 0, Qt.AlignmentFlag.AlignLeft)
        named = {"town_code": (self.tr("Town *"), self.town), "letter_number": (self.tr("Letter number *"), self.letter),
                 "reason": (self.tr("Why an administrative penalty *"), self.reason),
                 "party_kind": (self.tr("Party type"), self.party_kind), "party_name": (self.tr("Party *"), self.party_name),
                 "party_id_number": (self.tr("ID number"), self.party_id), "cause": (self.tr("Cause *"), self.cause),
                 "category": (self.tr("Category *"), self.category), "place": (self.tr("Place *"), self.place),
                 "occurred_at": (self.tr("Time of the conduct *"), self.occurred),
                 "facts": (self.tr("Facts"), self.facts), "materials": (self.tr("Materials (files)"), files_box)}
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        for key, (label, widget) in named.items():
            self.field_boxes[key] = FieldBox(widget)
            form.addRow(label, self.field_boxes[key])
        self.ok_button.setText(self.tr("Refer to the town"))
        lay = QVBoxLayout(self)
        lay.addLayout(form)
        lay.addWidget(self.error)
        lay.addWidget(self.buttons)
        self.resize(720, self.sizeHint().height())

    def add_files(self, paths: list[str]) -> None:
        for path in paths:
            if path not in self.files:
                self.files.append(path)
                self.file_list.addItem(path.replace("\\", "/").rsplit("/", 1)[-1])

    def _choose_files(self) -> None:
        from PySide6.QtWidgets import QFileDialog

        paths, _filter = QFileDialog.getOpenFileNames(self, self.tr("Materials from the police"))
        self.add_files(paths)

    def fields(self) -> dict:
        return {"cause": self.cause.text(), "category": self.category.currentText(),
                "party_kind": self.party_kind.currentData(), "party_name": self.party_name.text(),
                "party_id_number": self.party_id.text(), "place": self.place.text(),
                "occurred_at": self.occurred.dateTime().toPython().replace(second=0, microsecond=0).isoformat(),
                "facts": self.facts.toPlainText()}

    def submit(self):
        return self._submit(town_code=self.town.currentData() or "", fields=self.fields(),
                            letter_number=self.letter.text(), reason=self.reason.toPlainText(), files=list(self.files))
