"""The review desk (法制审核工作台): one case of the review queue at a time, its facts read-only on the left (the case,
the proposed decision, the materials submitted, earlier rounds, the evidence) and the reviewer's answer on the right.
上一件 / 下一件 (Ctrl+PgUp / Ctrl+PgDown, or Alt+↑ / Alt+↓) move through the queue in the order it had when the desk
was opened; after an answer is saved the desk moves on to the next case still waiting, or says the queue is done.
Esc asks the window to go back where the desk was opened from (the queue, the workbench, the register).

The answer is checked first (domain.legal_review.check_verdict: the same rules as the service), then confirmed on the
page as a step that cannot be undone, then saved through services.legal_review.record_verdict (audit entry, outbox
mutation, the case's status, in one transaction). What the reviewer typed for a round and left unsaved is kept in
memory until it is saved (or the program closes), so going to the next case, or back to the queue, and returning
loses nothing."""
from __future__ import annotations

import html
from datetime import date
from typing import Callable

from PySide6.QtCore import QSettings, QSize, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSplitter,
    QStackedWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.exc import SQLAlchemyError

from ..domain import legal_review as lr
from ..domain.case_fields import FIELD_LABELS
from ..domain.errors import DomainError
from ..domain.identifiers import mask_party_id
from ..domain.roles import Role
from ..services import cases as case_service
from ..services import legal_review, storage_errors
from ..services.calendar import current_calendar
from ..services.profile import Profile
from ..services.review_rules import review_rules
from ..store import Store
from .evidence_panel import EvidencePanel
from .field_widgets import ERROR_STYLE
from .icons import icon
from .review_dialogs import ExtendReviewDialog, VerdictForm
from .review_panel import round_text
from .style import WARN_BG, WARN_BORDER, mark_destructive, mark_primary

PREVIOUS_KEYS = ("Ctrl+PgUp", "Alt+Up")
NEXT_KEYS = ("Ctrl+PgDown", "Alt+Down")
SPLITTER_KEY = "review_desk/splitter"
FACTS_SPLITTER_KEY = "review_desk/facts_splitter"
DONE_STYLE = "color: #1b5e20;"
CONFIRM_QSS = f"#review_desk_confirm {{ background: {WARN_BG}; border: 1px solid {WARN_BORDER}; border-radius: 3px; }}"


def _e(text) -> str:
    return html.escape(str(text if text is not None else ""))


class ReviewDesk(QWidget):
    backRequested = Signal()
    verdictRecorded = Signal(str)  # case id: a round answered or extended (the window reads its lists again)

    def __init__(self, store: Store, profile: Profile, tasks, settings: QSettings, towns: dict[str, str],
                 today: Callable[[], date] = date.today, parent: QWidget | None = None):
        super().__init__(parent)
        self.store, self.profile, self.settings, self.towns, self.today = store, profile, settings, towns, today
        self.case_ids: list[str] = []
        self.index = -1
        self.record: case_service.CaseRecord | None = None
        self.rounds: list[legal_review.ReviewRecord] = []
        self.pending: legal_review.ReviewRecord | None = None
        self._typed: dict[str, tuple] = {}  # review id -> VerdictForm.values() typed and not saved

        # the bar: back, where in the queue, previous / next
        self.back_button = QPushButton(icon("back"), self.tr("Back (Esc)"))
        self.back_button.setObjectName("review_desk_back")
        self.back_button.clicked.connect(self.backRequested)
        self.position = QLabel()
        self.position.setObjectName("review_desk_position")
        self.previous_button = QPushButton(self.tr("Previous (%1)").replace("%1", self._keys(PREVIOUS_KEYS[0])))
        self.previous_button.setObjectName("review_desk_previous")
        self.previous_button.clicked.connect(self.previous)
        self.next_button = QPushButton(self.tr("Next (%1)").replace("%1", self._keys(NEXT_KEYS[0])))
        self.next_button.setObjectName("review_desk_next")
        self.next_button.clicked.connect(self.next)
        bar = QHBoxLayout()
        bar.addWidget(self.back_button)
        bar.addWidget(self.position, 1)
        bar.addWidget(self.previous_button)
        bar.addWidget(self.next_button)
        self.message = QLabel()  # what just happened (an answer saved, the desk moved on)
        self.message.setObjectName("review_desk_message")
        self.message.setWordWrap(True)
        self.message.setStyleSheet(DONE_STYLE)
        self.message.hide()

        # left: the case's facts and the evidence, read-only
        self.facts = QTextBrowser()
        self.facts.setObjectName("review_desk_facts")
        self.facts.setOpenLinks(False)
        self.facts.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.evidence = EvidencePanel(store.blobs, store.paths.opened, tasks)
        self.evidence.add_button.hide()  # read-only here: evidence is added by the squad in the register
        self.evidence.list.setViewMode(self.evidence.list.ViewMode.ListMode)  # a line a file: the facts keep the room
        self.evidence.list.setIconSize(QSize(32, 32))
        self.evidence.list.setGridSize(QSize())
        self.evidence.set_enabled_for_case(False)
        self.evidence_box = QGroupBox()
        box = QVBoxLayout(self.evidence_box)
        box.setContentsMargins(4, 4, 4, 4)
        box.addWidget(self.evidence)
        self.facts_splitter = QSplitter(Qt.Orientation.Vertical)
        self.facts_splitter.setObjectName("review_desk_facts_splitter")
        self.facts_splitter.setChildrenCollapsible(False)
        self.facts_splitter.addWidget(self.facts)
        self.facts_splitter.addWidget(self.evidence_box)
        self.facts_splitter.setStretchFactor(0, 3)
        self.facts_splitter.setStretchFactor(1, 1)

        # right: the answer
        self.round_info = QLabel()
        self.round_info.setObjectName("review_desk_round")
        self.round_info.setWordWrap(True)
        self.extend_button = QPushButton(icon("extend"), self.tr("Extend the deadline…"))
        self.extend_button.setObjectName("review_desk_extend")
        self.extend_button.clicked.connect(self.extend)
        round_row = QHBoxLayout()
        round_row.addWidget(self.round_info, 1)
        round_row.addWidget(self.extend_button, 0, Qt.AlignmentFlag.AlignTop)
        self.form = VerdictForm()
        self.form.changed.connect(self._edited)
        self.answered = QTextBrowser()  # a round already answered (or none waiting): what was decided
        self.answered.setObjectName("review_desk_answered")
        self.error = QLabel()
        self.error.setObjectName("review_desk_error")
        self.error.setStyleSheet(ERROR_STYLE)
        self.error.setWordWrap(True)
        self.error.hide()
        self.submit_button = QPushButton(icon("review"), self.tr("Record the review…"))
        self.submit_button.setObjectName("review_desk_submit")
        self.submit_button.setAutoDefault(True)
        self.submit_button.clicked.connect(self.check)
        mark_primary(self.submit_button)
        self.submit_button.setToolTip(self.tr("Check the answer, then confirm it (%1)")
                                      .replace("%1", self._keys("Ctrl+Return")))
        self.confirm = QFrame()
        self.confirm.setObjectName("review_desk_confirm")
        self.confirm.setStyleSheet(CONFIRM_QSS)
        self.confirm_text = QLabel()
        self.confirm_text.setObjectName("review_desk_confirm_text")
        self.confirm_text.setWordWrap(True)
        self.confirm_button = QPushButton(self.tr("Confirm and save"))
        self.confirm_button.setObjectName("review_desk_confirm_save")
        self.confirm_button.clicked.connect(self.save)
        mark_destructive(self.confirm_button)  # the answer cannot be taken back once saved
        self.cancel_button = QPushButton(self.tr("Go back and change"))
        self.cancel_button.setObjectName("review_desk_confirm_cancel")
        self.cancel_button.clicked.connect(self._cancel_confirm)
        confirm = QVBoxLayout(self.confirm)
        confirm.addWidget(self.confirm_text)
        confirm_buttons = QHBoxLayout()
        confirm_buttons.addStretch(1)
        confirm_buttons.addWidget(self.cancel_button)
        confirm_buttons.addWidget(self.confirm_button)
        confirm.addLayout(confirm_buttons)
        for b in (self.confirm_button, self.cancel_button):
            b.setAutoDefault(True)  # Enter presses the one with the keyboard, as in a dialog
        self.confirm.hide()
        self.signature = QLabel()
        self.signature.setWordWrap(True)
        submit_row = QHBoxLayout()
        submit_row.addWidget(self.signature, 1)
        submit_row.addWidget(self.submit_button)
        answer = QWidget()
        answer.setObjectName("review_desk_answer")
        fields = QVBoxLayout(answer)
        fields.setContentsMargins(0, 0, 4, 0)
        fields.addLayout(round_row)
        fields.addWidget(self.form, 1)
        fields.addWidget(self.answered, 1)
        self.answer_scroll = QScrollArea()  # the fields scroll (up and down only) on a small screen ...
        self.answer_scroll.setObjectName("review_desk_answer_scroll")
        self.answer_scroll.setWidgetResizable(True)
        self.answer_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.answer_scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.answer_scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # Tab goes to the fields, not the frame
        self.answer_scroll.setWidget(answer)
        right_pane = QWidget()
        right = QVBoxLayout(right_pane)
        right.setContentsMargins(4, 0, 0, 0)
        right.addWidget(self.answer_scroll, 1)
        right.addWidget(self.error)  # ... what is refused, the confirmation and the button stay in view
        right.addWidget(self.confirm)
        right.addLayout(submit_row)

        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setObjectName("review_desk_splitter")
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(self.facts_splitter)
        self.splitter.addWidget(right_pane)
        self.splitter.setStretchFactor(0, 1)
        self.splitter.setStretchFactor(1, 1)
        self._restore_splitters()
        self.splitter.splitterMoved.connect(lambda *_: self.settings.setValue(SPLITTER_KEY, self.splitter.saveState()))
        self.facts_splitter.splitterMoved.connect(
            lambda *_: self.settings.setValue(FACTS_SPLITTER_KEY, self.facts_splitter.saveState()))

        # the queue done: say so, offer the way back
        self.done = QLabel()
        self.done.setObjectName("review_desk_done")
        self.done.setWordWrap(True)
        self.done.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.done_back = QPushButton(icon("back"), "")
        self.done_back.setObjectName("review_desk_done_back")
        self.done_back.clicked.connect(self.backRequested)
        empty = QWidget()
        column = QVBoxLayout(empty)
        column.addStretch(1)
        column.addWidget(self.done)
        column.addWidget(self.done_back, 0, Qt.AlignmentFlag.AlignHCenter)
        column.addStretch(2)
        self.body = QStackedWidget()
        self.body.addWidget(self.splitter)
        self.body.addWidget(empty)

        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addLayout(bar)
        lay.addWidget(self.message)
        lay.addWidget(self.body, 1)

        context = Qt.ShortcutContext.WidgetWithChildrenShortcut
        for keys, slot in ((PREVIOUS_KEYS, self.previous), (NEXT_KEYS, self.next)):
            for key in keys:
                QShortcut(QKeySequence(key), self, activated=slot, context=context)
        QShortcut(QKeySequence(Qt.Key.Key_Escape), self, activated=self._escape, context=context)
        QShortcut(QKeySequence("Ctrl+Return"), self, activated=self._submit_key, context=context)
        self.set_back_text(self.tr("the review queue"))

    @staticmethod
    def _keys(key: str) -> str:
        return QKeySequence(key).toString(QKeySequence.SequenceFormat.NativeText)

    def _restore_splitters(self) -> None:
        state = self.settings.value(SPLITTER_KEY)
        if state is None or not self.splitter.restoreState(state):
            self.splitter.setSizes([560, 520])
        state = self.settings.value(FACTS_SPLITTER_KEY)
        if state is None or not self.facts_splitter.restoreState(state):
            self.facts_splitter.setSizes([480, 140])

    # --- where the desk is ----------------------------------------------------------------------------------------
    @property
    def case_id(self) -> str | None:
        return self.case_ids[self.index] if 0 <= self.index < len(self.case_ids) else None

    def set_back_text(self, where: str) -> None:
        """`where`: the page Esc returns to, as the button names it (“the review queue”, “the workbench”)."""
        self.back_button.setText(self.tr("Back to %1 (Esc)").replace("%1", where))
        self.done_back.setText(self.tr("Back to %1").replace("%1", where))

    def set_profile(self, profile: Profile) -> None:
        self.profile = profile
        if self.case_id is not None:
            self._show(self.index)

    def open(self, case_ids: list[str], case_id: str) -> None:
        """The queue's cases in its order (a case once), starting at `case_id`."""
        order = list(dict.fromkeys(case_ids))
        if case_id not in order:
            order.insert(0, case_id)
        self.case_ids = order
        self.message.hide()
        self._show(order.index(case_id))

    def hideEvent(self, event) -> None:  # noqa: N802 - Qt's name
        """Left for another page (Esc, the sidebar): what was typed is kept for when the case is opened again."""
        if self.body.currentIndex() == 0:
            self._leave()
        super().hideEvent(event)

    def reload(self) -> None:
        """The case shown read again (a sync brought changes); what was typed is kept."""
        if self.body.currentIndex() == 0 and self.case_id is not None:
            self._leave()
            self._show(self.index)

    def previous(self) -> None:
        if self.body.currentIndex() == 0 and self.index > 0:
            self._leave()
            self.message.hide()
            self._show(self.index - 1)

    def next(self) -> None:
        if self.body.currentIndex() == 0 and self.index < len(self.case_ids) - 1:
            self._leave()
            self.message.hide()
            self._show(self.index + 1)

    def _submit_key(self) -> None:
        if self.submit_button.isVisible() and self.submit_button.isEnabled():
            self.check()

    def _escape(self) -> None:
        if self.confirm.isVisible():
            self._cancel_confirm()
        else:
            self.backRequested.emit()

    def _leave(self) -> None:
        """Keep what was typed for the case being left (the answer is not saved until confirmed)."""
        if self.pending is not None:
            if self.form.is_empty():
                self._typed.pop(self.pending.id, None)
            else:
                self._typed[self.pending.id] = self.form.values()

    # --- one case -------------------------------------------------------------------------------------------------
    def _show(self, index: int) -> None:
        self.index = index
        case_id = self.case_ids[index]
        self.body.setCurrentIndex(0)
        self.error.hide()
        self.confirm.hide()
        try:
            record = case_service.get_case(self.store, case_id)
            rounds = legal_review.reviews_of(self.store, case_id)
            rules = review_rules(self.store)
            with self.store.sessions() as session:
                calendar = current_calendar(session)
        except DomainError as exc:
            self._unreadable(exc.message)
            return
        except (SQLAlchemyError, OSError) as exc:
            self._unreadable(self.tr("The case could not be read: %1.").replace("%1", storage_errors.describe(exc)))
            return
        self.record, self.rounds = record, rounds
        self.pending = next((r for r in reversed(rounds) if r.status is lr.ReviewStatus.PENDING), None)
        self.position.setText(self.tr("Case %1 of %2 in the queue · %3").replace("%1", str(index + 1))
                              .replace("%2", str(len(self.case_ids))).replace("%3", record.number))
        self.previous_button.setEnabled(index > 0)
        self.next_button.setEnabled(index < len(self.case_ids) - 1)
        self.facts.setHtml(self._facts_html(record, rounds, case_service.record_major_reasons(record, rules),
                                            calendar))
        self.evidence_box.setTitle(self.tr("Evidence (%1 files)").replace("%1", str(len(record.evidence))))
        self.evidence.show_evidence(record.evidence)
        self._show_answer(calendar)

    def _unreadable(self, text: str) -> None:
        self.record, self.rounds, self.pending = None, [], None
        self.extend_button.hide()
        self.facts.setPlainText(text)
        self.evidence.show_evidence([])
        self.form.hide()
        self.answered.hide()
        self.submit_button.hide()
        self.signature.hide()
        self.round_info.setText(text)

    def _show_answer(self, calendar) -> None:
        reviewer = self.profile.role == Role.LEGAL_REVIEWER
        can_answer = (reviewer and self.pending is not None and not self.record.status.is_terminal
                      and not case_service.outside_town(self.record.town_code, self.profile))
        self.form.setVisible(can_answer)
        self.extend_button.setVisible(can_answer and not self.pending.extension_reason)
        self.submit_button.setVisible(can_answer)
        self.signature.setVisible(can_answer)
        self.answered.setVisible(not can_answer)
        if can_answer:
            r = self.pending
            left = calendar.working_days_between(self.today(), r.due_on)
            when = (self.tr("overdue by %1 working days").replace("%1", str(-left)) if left < 0 or (
                left == 0 and self.today() > r.due_on) else self.tr("%1 working days left").replace("%1", str(left)))
            self.round_info.setText(self.tr("Round %1, submitted by %2 on %3; due %4 (%5).")
                                    .replace("%1", str(r.round_no)).replace("%2", r.submitted_by)
                                    .replace("%3", f"{r.submitted_at:%Y-%m-%d}").replace("%4", str(r.due_on))
                                    .replace("%5", when))
            self.round_info.setStyleSheet(ERROR_STYLE if left < 0 else "")
            self.signature.setText(self.tr("Reviewer: %1 — signed with the time of saving")
                                   .replace("%1", self.profile.name))
            self.form.set_values(*self._typed.get(r.id, (None, "", {})))
            self.submit_button.setEnabled(True)
            return
        self.round_info.setStyleSheet("")
        last = self.rounds[-1] if self.rounds else None
        if not reviewer:
            self.round_info.setText(self.tr("Only the town's legal reviewer records a review."))
        elif self.pending is None:
            self.round_info.setText(self.tr("Nothing is waiting for review in this case: round %1 is %2.")
                                    .replace("%1", str(last.round_no) if last else "—")
                                    .replace("%2", (last.outcome.label if last.outcome else last.status.label)
                                             if last else "—"))
        else:
            self.round_info.setText(self.tr("This case is not your town's, or it is closed: it cannot be reviewed "
                                            "here."))
        self.answered.setPlainText(round_text(last) if last else "")

    def _facts_html(self, r: case_service.CaseRecord, rounds, reasons: list[str], calendar) -> str:
        v = r.values
        label = FIELD_LABELS
        rows: list[tuple[str, str]] = [
            (self.tr("Case number"), r.number),
            (self.tr("Status"), r.status.label),
            (self.tr("Town"), self.towns.get(r.town_code, r.town_code)),
            (label["source"], v.get("source")),
            (label["category"], v.get("category")),
            (label["cause"], v.get("cause")),
        ]
        org = v.get("party_kind") == "org"
        kind = self.tr("organisation") if org else self.tr("person")
        party = f"{v.get('party_name') or ''}（{kind}）"
        rows.append((label["party_name"], party))
        if v.get("party_id_number"):
            rows.append((label["party_id_number"], mask_party_id(v["party_id_number"])))
        if org and v.get("party_legal_rep"):
            rows.append((label["party_legal_rep"], v.get("party_legal_rep")))
        rows += [(label["occurred_at"], f"{v['occurred_at']:%Y-%m-%d %H:%M}" if v.get("occurred_at") else ""),
                 (label["place"], v.get("place")),
                 (label["officers"], "、".join(f"{o.name}（{o.cert_no}）" for o in r.officers))]
        parts = ["<table cellspacing='0' cellpadding='3'>"]
        parts += [f"<tr><td style='color:#5f6368; white-space:nowrap'>{_e(k)}</td><td>{_e(val)}</td></tr>"
                  for k, val in rows]
        parts.append("</table>")

        def section(title: str, body: str) -> None:
            parts.append(f"<h4 style='margin-top:10px; margin-bottom:2px'>{_e(title)}</h4>{body}")

        def para(text) -> str:
            return f"<p style='margin-top:0'>{_e(text or '—').replace(chr(10), '<br>')}</p>"

        section(label["facts"], para(v.get("facts")))
        section(label["legal_basis"], para(v.get("legal_basis")))
        amount = v.get("proposed_amount")
        proposed = (v.get("proposed_penalty") or "") + (f" {amount:,.2f} 元" if amount is not None else "")
        major = (self.tr("Major enforcement decision: %1").replace("%1", "；".join(reasons)) if reasons
                 else self.tr("Not a major enforcement decision (review requested voluntarily)."))
        section(self.tr("Proposed decision"), f"<p style='margin-top:0'><b>{_e(proposed.strip() or '—')}</b><br>"
                                              f"{_e(major)}</p>")
        shown = self.pending or (rounds[-1] if rounds else None)
        if shown is not None:
            required = lr.required_materials(v.get("circumstances") or [])
            items = [f"<li>✓ {_e(lr.MATERIAL_LABELS.get(m, m))}</li>" for m in shown.materials]
            missing = self.tr("not submitted")
            items += [f"<li style='color:#b3261e'>✗ {_e(lr.MATERIAL_LABELS[m])}（{_e(missing)}）</li>"
                      for m in required if m not in shown.materials]
            section(self.tr("Materials submitted for review (round %1)").replace("%1", str(shown.round_no)),
                    f"<ul style='margin-top:0'>{''.join(items)}</ul>")
            section(self.tr("Review request report"), para(shown.report))
        earlier = [x for x in rounds if x is not shown and x.outcome is not None]
        if earlier:
            section(self.tr("Earlier rounds"), "".join(
                para(f"第 {x.round_no} 次：{x.outcome.label}（{x.reviewer}，{x.reviewed_at:%Y-%m-%d}）"
                     f"{('：' + x.opinion) if x.opinion else ''}") for x in earlier))
        return "".join(parts)

    # --- the answer -----------------------------------------------------------------------------------------------
    def _edited(self) -> None:
        self.confirm.hide()
        self.submit_button.setEnabled(True)
        self.error.hide()

    def _refuse(self, message: str, field: str | None = None) -> None:
        self.confirm.hide()
        self.submit_button.setEnabled(True)
        self.error.setText(message)
        self.error.show()
        self.form.focus_field(field)
        if self.answer_scroll.widget().isAncestorOf(QApplication.focusWidget()):
            self.answer_scroll.ensureWidgetVisible(QApplication.focusWidget())  # the field named

    def check(self) -> None:
        """The answer checked as the service will check it; when it passes, the confirmation on the page."""
        if self.pending is None:
            return
        outcome, opinion, criteria = self.form.values()
        try:
            verdict = lr.check_verdict(outcome, opinion, criteria)
        except DomainError as exc:
            self._refuse(exc.message, exc.field)
            return
        self.error.hide()
        self.confirm_text.setText(self.tr("Record “%1” for case %2, round %3? Once saved the review cannot be "
                                          "withdrawn or changed; it is signed with your name and the time.")
                                  .replace("%1", verdict.outcome.label).replace("%2", self.record.number)
                                  .replace("%3", str(self.pending.round_no)))
        self.confirm.show()
        self.submit_button.setEnabled(False)
        self.confirm_button.setFocus()

    def _cancel_confirm(self) -> None:
        self.confirm.hide()
        self.submit_button.setEnabled(True)
        self.submit_button.setFocus()

    def extend(self) -> None:
        """延长审核期限 (once per round, with a reason), in the small form it has in the register."""
        if self.pending is None or self.record is None:
            return
        case, review = self.record, self.pending
        dialog = ExtendReviewDialog(lambda reason: legal_review.extend(self.store, self.profile, case.id, review.id,
                                                                       reason), self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.verdictRecorded.emit(case.id)
            self.reload()
            self.message.setText(self.tr("Review deadline extended to %1.").replace("%1",
                                                                                  str(dialog.result_record.due_on)))
            self.message.show()

    def save(self) -> None:
        """Save the confirmed answer; on success the next case still waiting, or the queue done."""
        if self.pending is None or self.record is None:
            return
        outcome, opinion, criteria = self.form.values()
        case, review = self.record, self.pending
        try:
            saved = legal_review.record_verdict(self.store, self.profile, case.id, review.id, outcome=outcome,
                                                opinion=opinion, criteria=criteria)
        except DomainError as exc:
            self._refuse(exc.message, exc.field)
            return
        except (SQLAlchemyError, OSError) as exc:
            self._refuse(self.tr("Not saved: %1.").replace("%1", storage_errors.describe(exc)))
            return
        self._typed.pop(review.id, None)
        self.verdictRecorded.emit(case.id)
        said = self.tr("Review of %1 recorded: %2 (opinion %3).").replace("%1", case.number) \
            .replace("%2", saved.outcome.label).replace("%3", saved.opinion_number or "—")
        following = self._next_waiting()
        if following is None:
            self._queue_done(said)
            return
        self.message.setText(said + " " + self.tr("Now the next case waiting."))
        self.message.show()
        self._show(following)
        self.facts.setFocus()  # the keyboard stays on the desk (the confirmation it was on is gone)

    def _next_waiting(self) -> int | None:
        """The next case of the queue with a round still waiting, after this one first, then from the start."""
        n = len(self.case_ids)
        for step in range(1, n):
            i = (self.index + step) % n
            try:
                rounds = legal_review.reviews_of(self.store, self.case_ids[i])
            except (SQLAlchemyError, OSError):
                continue
            if any(r.status is lr.ReviewStatus.PENDING for r in rounds):
                return i
        return None

    def _queue_done(self, said: str) -> None:
        self.message.setText(said)
        self.message.show()
        self.pending = None
        self.position.setText(self.tr("The queue is done"))
        self.previous_button.setEnabled(False)
        self.next_button.setEnabled(False)
        self.done.setText(self.tr("Every case of the queue has been reviewed. Nothing else is waiting for you."))
        self.body.setCurrentIndex(1)
        self.done_back.setFocus()
