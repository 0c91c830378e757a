"""One case: the form, its evidence and its timeline, with save and status actions wired to the services."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Callable

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QProgressDialog,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from sqlalchemy.exc import SQLAlchemyError

from ..domain.case_draft import CaseDraft, DraftInvalid
from ..domain.errors import DomainError
from ..domain.legal_review import REVIEW_STEPS, ReviewStatus
from ..domain.lifecycle import CaseStatus, get_transition
from ..domain.organisations import OrgDirectory, OrgKind
from ..domain.referral import ReferralStatus
from ..domain.roles import Role
from ..services import cases as case_service
from ..services import legal_review, organisations, refused_cases, storage_errors
from ..services.conflicts import DELETED, open_conflicts_for
from ..services.drafts import NEW, DraftStore
from ..services.evidence import add_evidence
from ..services.profile import Profile
from ..services.review_rules import review_rules
from ..store import Store
from .case_editor import CaseForm, CaseHeader
from .case_police import CasePolice
from .case_referrals import CaseReferrals
from .evidence_panel import EvidencePanel
from .form_printer import FormPrinter
from .review_dialogs import ExtendReviewDialog, SubmitReviewDialog
from .referral_actions import ReferralActions, status_of
from .referral_dialog import ReferralDialog
from .review_panel import ReviewPanel
from . import style
from .style import ERROR_STYLE, mark_destructive, mark_primary
from .timeline_view import TimelineView


AUTOSAVE_MS = 1500


def _size(path: Path) -> int:
    try:
        return path.stat().st_size if path.is_file() else 0
    except OSError:
        return 0


def joined(messages) -> str:
    """Field messages as one sentence: each already ends in 。, which becomes the separator （；） between them."""
    parts = [m.rstrip("。；; ") for m in messages]
    return "；".join(parts) + "。" if parts else ""


class ConflictBanner(QFrame):
    """Shown above a case that has an open sync conflict; the button leads to where it is settled."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("conflict_banner")
        self.setStyleSheet(f"#conflict_banner {{ background: {style.WARN_BG}; border: 1px solid {style.WARN_BORDER}; "
                           "border-radius: 3px; }")
        self.text = QLabel()
        self.text.setWordWrap(True)
        self.button = QPushButton(self.tr("Go to the “Sync” page"))
        lay = QHBoxLayout(self)
        lay.addWidget(self.text, 1)
        lay.addWidget(self.button)
        self.hide()

    def show_conflicts(self, conflicts) -> None:
        if any(c.field == DELETED for c in conflicts):
            self.text.setText(self.tr("This case was deleted on the server while it was changed here. Please "
                                      "decide on the “Sync” page."))
        elif conflicts:
            labels = "、".join(dict.fromkeys(c.label for c in conflicts))
            self.text.setText(self.tr("This case has a sync conflict: the field “%1” has two different values. "
                                      "Please resolve it on the “Sync” page.").replace("%1", labels))
        self.setVisible(bool(conflicts))


class RefusedBanner(QFrame):
    """Shown above a case whose registration the bureau refused: the server's reason, and the two ways out —
    resend the corrected form, or discard the case (services.refused_cases)."""

    resubmitRequested = Signal()
    discardRequested = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("refused_banner")
        self.setStyleSheet(f"#refused_banner {{ background: {style.DANGER_BG}; "
                           f"border: 1px solid {style.DANGER_BORDER}; border-radius: 3px; }}")
        self.title = QLabel(self.tr("The bureau did not accept this case"))
        self.title.setStyleSheet(f"color: {style.DESTRUCTIVE_HOVER}; font-weight: bold;")
        self.reason = QLabel()
        self.reason.setWordWrap(True)
        self.reason.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.reason.setStyleSheet(f"color: {style.DESTRUCTIVE_HOVER};")
        self.hint = QLabel(self.tr("Everything you entered is kept on this computer. Correct the case as the reason "
                                   "says, then press “Resubmit”; or discard it if it is no longer needed."))
        self.hint.setWordWrap(True)
        self.resubmit = QPushButton(self.tr("Resubmit"))
        self.resubmit.setObjectName("resubmit")
        mark_primary(self.resubmit)
        self.resubmit.clicked.connect(self.resubmitRequested)
        self.discard = QPushButton(self.tr("Discard draft…"))
        self.discard.setObjectName("discard_refused")
        mark_destructive(self.discard)  # discard_refused() asks first
        self.discard.clicked.connect(self.discardRequested)
        text = QVBoxLayout()
        for label in (self.title, self.reason, self.hint):
            text.addWidget(label)
        buttons = QVBoxLayout()
        buttons.addWidget(self.resubmit)
        buttons.addWidget(self.discard)
        buttons.addStretch(1)
        lay = QHBoxLayout(self)
        lay.addLayout(text, 1)
        lay.addLayout(buttons)
        self.hide()

    def show_refusal(self, refusal: refused_cases.Refusal | None) -> None:
        if refusal is not None:
            when = refusal.refused_at.strftime("%Y-%m-%d %H:%M") if refusal.refused_at else ""
            self.reason.setText(self.tr("Reason given by the bureau (%1): %2").replace("%1", when)
                                .replace("%2", refusal.reason))
        self.setVisible(refusal is not None)


REFER_POLICE = "refer_police"  # 移送公安: not a status step of the case, a criminal referral of it
COORDINATE = "coordinate"  # 列入会商: the case on the consultation item list (services.meetings.create_item)


@dataclass(frozen=True)
class _PoliceStep:
    """The header's button for a criminal referral, shaped like a lifecycle Transition (action, label)."""

    action: str
    label: str


class CaseDetail(QWidget):
    saved = Signal(str)  # case id
    discarded = Signal(str)  # case id: a refused case given up, gone from this computer
    syncPageRequested = Signal()
    reviewDeskRequested = Signal(str)  # case id: the reviewer answers on the review desk, beside the case's facts
    criminalReferred = Signal(str)  # a criminal referral's id, just reported: its page shows it

    def __init__(self, store: Store, profile: Profile, reference: dict, tasks,
                 today: Callable[[], date] = date.today, parent: QWidget | None = None, *,
                 orgs: OrgDirectory | None = None, referral_actions: ReferralActions | None = None):
        """`referral_actions` is the window's (shared with the 移送 section); one of its own by default."""
        super().__init__(parent)
        self.store, self.profile, self.tasks, self.today = store, profile, tasks, today
        self.drafts = DraftStore(store.paths.drafts)
        self._autosave = QTimer(self)
        self._autosave.setSingleShot(True)
        self._autosave.setInterval(AUTOSAVE_MS)
        self._autosave.timeout.connect(self.write_draft)
        self.record: case_service.CaseRecord | None = None
        self._loaded_draft = CaseDraft()
        self.header = CaseHeader()
        self.header.actionRequested.connect(self.run_action)
        self.message = QLabel()
        self._refused_save = False  # the message lists why a save was refused (kept in step with the fields)
        self.message.setWordWrap(True)
        self.message.hide()
        self.banner = ConflictBanner()
        self.banner.button.clicked.connect(self.syncPageRequested)
        self.refused_banner = RefusedBanner()
        self.refused_banner.resubmitRequested.connect(self.resubmit)
        self.refused_banner.discardRequested.connect(self.discard_refused)
        self.refusal: refused_cases.Refusal | None = None
        self.form = CaseForm(reference)
        self.form.changed.connect(self._on_changed)
        self.evidence = EvidencePanel(store.blobs, store.paths.opened, tasks)
        self.evidence.addRequested.connect(self.add_files)
        self.timeline = TimelineView()
        self.printer = FormPrinter(store, tasks, self)
        self.review = ReviewPanel(self.printer.forms)
        self.review.submitRequested.connect(self.submit_review)
        self.review.reviewRequested.connect(self.review_case)
        self.review.extendRequested.connect(self.extend_review)
        self.review.printRequested.connect(self.print_form)
        self.orgs = orgs or organisations.directory(store)
        self.referral_actions = referral_actions or ReferralActions(store, profile, self.orgs, self.printer,
                                                                    today=today, parent=self)
        self.referral_actions.changed.connect(self._referral_changed)
        self.referral_dialog: ReferralDialog | None = None
        self.crime_dialog = None  # the last 移送公安 report opened (tests reach it here)
        self.referral_banner = QLabel()
        self.referral_banner.setObjectName("referral_banner")
        self.referral_banner.setWordWrap(True)
        self.referral_banner.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.referral_banner.setStyleSheet("#referral_banner { background: #fdecea; border: 1px solid #b3261e; "
                                           "border-radius: 3px; padding: 6px; color: #8c1d18; font-weight: bold; }")
        self.referral_banner.hide()
        self.crime_banner = QLabel()
        self.crime_banner.setObjectName("crime_banner")
        self.crime_banner.setWordWrap(True)
        self.crime_banner.setStyleSheet("#crime_banner { background: #fdecea; border: 1px solid #b3261e; "
                                        "padding: 6px; }")
        self.crime_banner.hide()
        self.referrals = CaseReferrals(store, tasks, self.referral_actions, today=today)
        self.tabs = QTabWidget()
        self.tabs.addTab(self.form, self.tr("Case"))
        self.tabs.addTab(self.evidence, self.tr("Evidence"))
        self.tabs.addTab(self.review, self.tr("Legal review"))
        self.tabs.addTab(self.referrals, self.tr("Referral"))
        self.police = CasePolice(store, lambda: self.profile)
        self.tabs.addTab(self.police, self.tr("Police"))
        self.tabs.addTab(self.timeline, self.tr("Timeline"))
        lay = QVBoxLayout(self)
        lay.addWidget(self.header)
        lay.addWidget(self.refused_banner)
        lay.addWidget(self.banner)
        lay.addWidget(self.referral_banner)
        lay.addWidget(self.crime_banner)
        lay.addWidget(self.message)
        lay.addWidget(self.tabs, 1)
        self.new_case()

    # --- state ------------------------------------------------------------------------------------------------------
    def is_dirty(self) -> bool:
        return self.form.draft() != self._loaded_draft

    @property
    def draft_key(self) -> str:
        return self.record.id if self.record else NEW

    def load_roster(self) -> None:
        """The town's officers for the form's officer column (人员与执法证); the case's town when one is shown."""
        from ..services import roster
        from .case_editor import RosterOfficer

        town = self.record.town_code if self.record is not None else self.profile.town_code
        try:
            found = roster.officer_choices(self.store, town, today=self.today(), include_retired=True)
        except (SQLAlchemyError, OSError):
            found = []  # the completer is a help: the form works without it
        self.form.set_roster([RosterOfficer(e.name, e.cert_no, str(e.state), e.expires_on, e.days_left, e.active)
                              for e in found])

    def new_case(self) -> None:
        self.record = None
        self.load_roster()
        self._loaded_draft = CaseDraft()
        self.form.set_draft(self._loaded_draft)
        self._loaded_draft = self.form.draft()  # normalised as the form shows it (default time, empty rows)
        self._refresh()
        self._offer_draft()
        self.tabs.setCurrentWidget(self.form)
        self.form.source.setFocus()

    def _attempt(self, call, failed: str):
        """Run a service call; a broken rule or a failure of disk or database is shown, not raised. None then."""
        try:
            return call()
        except DomainError as exc:
            self.show_message(exc.message)
        except (SQLAlchemyError, OSError) as exc:
            self.show_message(failed.replace("%1", storage_errors.describe(exc)))
        return None

    def open_case(self, case_id: str) -> None:
        record = self._attempt(lambda: case_service.get_case(self.store, case_id),
                               self.tr("The case could not be read: %1."))
        if record is None:
            return
        self._show(record)
        self._offer_draft()

    def reload(self) -> None:
        """Show the stored case again (sync or a settled conflict changed it); unsaved typing is left alone."""
        if self.record is None or self.is_dirty():
            return
        record = self._attempt(lambda: case_service.get_case(self.store, self.record.id),
                               self.tr("The case could not be read: %1."))
        if record is not None and record != self.record:
            self._show(record)
        else:
            self.show_conflicts()
            self._show_referrals()  # a department's step arrived: the case itself may be unchanged

    def set_profile(self, profile: Profile) -> None:
        """Who acts from now on (after a login): actions and read-only state follow the new role and town."""
        self.profile = profile
        self.referral_actions.set_profile(profile)
        self._refresh()

    def show_conflicts(self) -> None:
        self.banner.show_conflicts(open_conflicts_for(self.store, self.record.id) if self.record else [])

    def _offer_draft(self) -> None:
        """A draft left by a crash: offer it back, never apply it silently."""
        found = self.drafts.load(self.draft_key)
        if found is None:
            return
        draft, saved_at = found
        if draft == self._loaded_draft:
            self.drafts.discard(self.draft_key)
            return
        answer = QMessageBox.question(
            self, self.tr("Unsaved changes found"),
            self.tr("Changes to this case typed at %1 were not saved (the program was closed unexpectedly). "
                    "Restore them?").replace("%1", saved_at.strftime("%Y-%m-%d %H:%M")))
        if answer == QMessageBox.StandardButton.Yes:
            self.form.set_draft(draft)
            self.show_message(self.tr("Unsaved changes restored; press Ctrl+S to save them."), error=False)
        else:
            self.drafts.discard(self.draft_key)

    def write_draft(self) -> None:
        self._autosave.stop()
        try:
            if self.is_dirty():
                self.drafts.save(self.draft_key, self.form.draft())
            else:
                self.drafts.discard(self.draft_key)
        except OSError as exc:  # the safety net is gone: say so while the user can still save
            self.show_message(self.tr("Your typing could not be kept aside (%1); please save soon.")
                              .replace("%1", storage_errors.describe(exc)))

    def _show(self, record: case_service.CaseRecord) -> None:
        self._autosave.stop()
        self.record = record
        self.load_roster()
        self.form.set_draft(record.draft())
        self._loaded_draft = self.form.draft()
        self._refresh()

    def _refresh(self) -> None:
        r = self.record
        rules = review_rules(self.store)
        self.refusal = self._attempt(lambda: refused_cases.refusal(self.store, r.id),
                                     self.tr("The case could not be read: %1.")) if r else None
        self.refused_banner.show_refusal(self.refusal)
        # a refused case takes no step until the bureau has it (store.outbox.enqueue)
        actions = case_service.available_actions(r, self.profile, rules) if r and not self.refusal else []
        police = self._police_referral_action(r) if r and not self.refusal else []
        actions = actions + police + (self._coordination_action(r) if r and not self.refusal else [])
        self.header.show_case(r, actions, today=self.today())
        locked = case_service.read_only_reason(r, self.profile) if r else None
        rounds = legal_review.reviews_of(self.store, r.id) if r else []
        self.review.show_review(
            rounds, case_service.record_major_reasons(r, rules) if r else None,
            can_submit=any(t.action == "submit_review" for t in actions), role=self.profile.role,
            editable=r is not None and not r.status.is_terminal
            and not case_service.outside_town(r.town_code, self.profile),
            reopened=bool(r and rounds) and r.status == CaseStatus.LEGAL_REVIEW and not r.review_passed
            and rounds[-1].status is ReviewStatus.AGREED)
        self.form.set_read_only(locked is not None)
        self.evidence.set_enabled_for_case(r is not None and locked is None, unsaved=r is None)
        self.evidence.show_evidence(r.evidence if r else [])
        self.timeline.show_entries(case_service.timeline(self.store, r.id) if r else [])
        self._show_crime_finding(rounds, offered=bool(police))
        self._show_referrals()
        self.police.show_case(r, r is not None and locked is None and not self.refusal)
        self.show_conflicts()
        self.show_message(locked, error=False)

    def show_message(self, text: str | None, *, error: bool = True) -> None:
        self._refused_save = False
        self.message.setStyleSheet(ERROR_STYLE if error else style.OK_STYLE)
        self.message.setText(text or "")
        self.message.setVisible(bool(text))

    def _on_changed(self) -> None:
        """The form has rechecked its fields: a refused save's summary lists what is still wrong, and goes when
        nothing is; any other message goes with the first edit."""
        self._autosave.start()
        if not self.message.isVisible():
            return
        remaining = self.form.error_messages()
        if self._refused_save and remaining:
            self.show_message(self.tr("Not saved. Please correct the marked fields: ") + joined(remaining))
            self._refused_save = True
        elif not remaining or self._refused_save:
            self.message.hide()
            self._refused_save = False

    # --- actions ----------------------------------------------------------------------------------------------------
    def save(self) -> bool:
        draft = self.form.draft()
        try:
            if self.record is None:
                record = case_service.create_case(self.store, self.profile, draft)
            else:
                record = case_service.update_case(self.store, self.profile, self.record.id, draft,
                                                  base_version=self.record.version, loaded=self.record)
        except DraftInvalid as exc:
            self.tabs.setCurrentWidget(self.form)
            self.form.show_errors(exc)
            self.show_message(self.tr("Not saved. Please correct the marked fields: ")
                              + joined(e.message for e in exc.errors))
            self._refused_save = True
            return False
        except DomainError as exc:
            self.show_message(exc.message)
            return False
        except (SQLAlchemyError, OSError) as exc:  # disk full, database locked, no permission: keep the input
            self.write_draft()
            self.show_message(self.tr("Not saved: %1. What you typed is still in the form.")
                              .replace("%1", storage_errors.describe(exc)))
            return False
        self._autosave.stop()
        self.drafts.discard(NEW if self.record is None else self.record.id)
        self._show(record)
        self.show_message(self.tr("Saved.") if self.refusal is None else
                          self.tr("Saved on this computer only; press “Resubmit” to send the case to the bureau."),
                          error=False)
        self.saved.emit(record.id)
        return True

    def resubmit(self) -> None:
        """Send the case again as the form now reads (the user corrected it as the reason said)."""
        if self.record is None or self.refusal is None:
            return
        case_id = self.record.id
        try:
            record = refused_cases.resubmit(self.store, self.profile, case_id, self.form.draft())
        except DraftInvalid as exc:
            self.tabs.setCurrentWidget(self.form)
            self.form.show_errors(exc)
            self.show_message(self.tr("Not resubmitted. Please correct the marked fields: ")
                              + joined(e.message for e in exc.errors))
            return
        except DomainError as exc:
            self.show_message(exc.message)
            return
        except (SQLAlchemyError, OSError) as exc:
            self.write_draft()
            self.show_message(self.tr("Not resubmitted: %1. What you typed is still in the form.")
                              .replace("%1", storage_errors.describe(exc)))
            return
        self._autosave.stop()
        self.drafts.discard(case_id)
        self._show(record)
        self.show_message(self.tr("Resubmitted; the case is sent to the bureau with the next sync and gets its "
                                  "official number once the bureau accepts it."), error=False)
        self.saved.emit(case_id)

    def discard_refused(self) -> None:
        """Give up a case the bureau refused, after asking: it goes from this computer; the timeline keeps it."""
        if self.record is None or self.refusal is None:
            return
        record = self.record
        answer = QMessageBox.question(
            self, self.tr("Discard draft"),
            self.tr("Discard case %1? The bureau never accepted it; it is removed from this computer and cannot "
                    "be restored. The audit trail keeps what it held and the bureau's reason.")
            .replace("%1", record.number), QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No)
        if answer != QMessageBox.StandardButton.Yes:
            return
        if self._attempt(lambda: refused_cases.discard(self.store, self.profile, record.id) or True,
                         self.tr("The case was not discarded: %1.")) is None:
            return
        self._autosave.stop()
        self.drafts.discard(record.id)
        self.new_case()
        self.show_message(self.tr("Case %1 discarded.").replace("%1", record.number), error=False)
        self.discarded.emit(record.id)

    def maybe_keep_changes(self) -> bool:
        """Before leaving this case: True when it is safe to go on (saved, discarded or unchanged)."""
        if not self.is_dirty():
            return True
        answer = QMessageBox.question(
            self, self.tr("Unsaved changes"), self.tr("This case has unsaved changes. Save them?"),
            QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Save)
        if answer == QMessageBox.StandardButton.Save:
            return self.save()
        if answer == QMessageBox.StandardButton.Discard:
            self._autosave.stop()
            self.drafts.discard(self.draft_key)
            return True
        return False

    def run_action(self, action: str) -> None:
        if self.record is None:
            return
        if self.is_dirty() and not self.save():
            return
        if action in REVIEW_STEPS:
            self.submit_review()
            return
        if action == "refer":  # a referral has a form of its own, not a bare status change
            self.refer()
            return
        if action == REFER_POLICE:
            self.refer_to_police()
            return
        if action == COORDINATE:
            self.put_on_consultation_list()
            return
        if not self._confirm_step(action):
            return
        current = self.record
        record = self._attempt(lambda: case_service.change_status(self.store, self.profile, current.id, action,
                                                                  expected_status=current.status),
                               self.tr("The status was not changed: %1."))
        if record is None:
            return
        self._show(record)
        self.show_message(self.tr("Status changed to “%1”.").replace("%1", record.status.label), error=False)
        self.saved.emit(record.id)

    def _confirm_step(self, action: str) -> bool:
        """Every status step asks first; the question names what follows. A step that ends the case, or that
        cannot be taken back, says so, and No is the default answer for it."""
        t = get_transition(action)
        number = self.record.number
        if t.target.is_terminal:
            text = self.tr("“%2” ends case %1: it becomes read-only and no further step can be taken on it. This "
                           "cannot be undone. Continue?")
        elif action == "decide":
            text = self.tr("“%2” records the decision on case %1. The decision cannot be changed afterwards; "
                           "only revoking the case would undo it. Continue?")
        else:
            text = self.tr("Change case %1 with “%2”?")
        final = t.target.is_terminal or action == "decide"
        buttons = QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No
        default = QMessageBox.StandardButton.No if final else QMessageBox.StandardButton.Yes
        answer = QMessageBox.question(self, t.label, text.replace("%1", number).replace("%2", t.label), buttons,
                                      default)
        return answer == QMessageBox.StandardButton.Yes

    # --- the consultation item list (协调会商事项清单) -------------------------------------------------------------------
    def _coordination_action(self, r) -> list:
        """列入会商 for the squad leader and office staff while the case is open and not on the list already."""
        from ..services import meetings

        if Role(self.profile.role) not in (Role.SQUAD_LEADER, Role.OFFICE_STAFF) or r.status.is_terminal \
                or case_service.outside_town(r.town_code, self.profile):
            return []
        if meetings.case_on_list(self.store, r.id):
            return []
        return [_PoliceStep(COORDINATE, self.tr("Put on the consultation list"))]

    def put_on_consultation_list(self) -> None:
        """The case as a matter needing coordination: the matter typed (the case's cause offered)."""
        from PySide6.QtWidgets import QInputDialog

        from ..services import meetings

        r = self.record
        matter, ok = QInputDialog.getText(self, self.tr("Put on the consultation list"), self.tr(
            "What needs coordinating for case %1?").replace("%1", r.number), text=r.values.get("cause") or "")
        if not ok or not matter.strip():
            return
        if self._attempt(lambda: meetings.create_item(self.store, self.profile, {"matter": matter.strip(),
                                                                                 "case_id": r.id}),
                         self.tr("The case was not put on the consultation list: %1.")) is None:
            return
        self._refresh()
        self.show_message(self.tr("Case %1 is on the consultation item list; the next meeting's proposed agenda "
                                  "names it.").replace("%1", r.number), error=False)

    # --- criminal referral (涉嫌犯罪案件移送) ---------------------------------------------------------------------------
    def _police_referral_action(self, r) -> list:
        """移送公安 for the squad leader while the case has no criminal referral pending."""
        from ..services import criminal_referrals as crs

        if Role(self.profile.role) != Role.SQUAD_LEADER:
            return []
        with self.store.sessions() as session:
            if crs.pending_for_case(session, r.id):
                return []
        if self._attempt(lambda: crs.refer_refusal(self.store, self.profile, r.id),
                         self.tr("The case could not be read: %1.")):
            return []
        return [_PoliceStep(REFER_POLICE, self.tr("Refer to police"))]

    def _show_crime_finding(self, rounds: list, *, offered: bool) -> None:
        """The legal reviewer found 涉嫌犯罪需移送 (criterion 8): said above the case while no criminal referral is
        pending, with the way to open one."""
        from ..domain.criminal_referral import review_found_crime

        found = bool(rounds) and review_found_crime(rounds[-1].criteria)
        with self.store.sessions() as session:
            from ..services import criminal_referrals as crs

            pending = self.record is not None and crs.pending_for_case(session, self.record.id)
        self.crime_banner.setText(self.tr("The legal review found a suspected crime that must be referred to the "
                                          "judicial organs (criterion 8).") + " " + (
            self.tr("Use “Refer to police” above to write the report.") if offered
            else self.tr("A squad leader refers it to the police from this page.")))
        self.crime_banner.setVisible(found and not pending)

    def refer_to_police(self) -> None:
        """The written report to the head, with the team, the attached reports and the seized items."""
        from ..domain.criminal_referral import POLICE_KINDS
        from ..services import criminal_referrals as crs
        from .crime_dialogs import CrimeReportDialog

        r = self.record
        if r is None or (self.is_dirty() and not self.save()):
            return
        r = self.record
        prepared = self._attempt(lambda: crs.prepare(self.store, self.profile, r.id),
                                 self.tr("The referral form could not be prepared: %1."))
        if prepared is None:
            return
        dialog = CrimeReportDialog(r.number, prepared, self.orgs.of_kind(*POLICE_KINDS),
                                   lambda form: crs.report(self.store, self.profile, r.id, form), self)
        dialog.setObjectName("crime_report_dialog")
        dialog.accepted.connect(lambda: self._reported_to_police(r.id, dialog.result_record))
        self.crime_dialog = dialog
        dialog.open()

    def _reported_to_police(self, case_id: str, record) -> None:
        if self.record is not None and self.record.id == case_id:
            self._show(case_service.get_case(self.store, case_id))
        self.show_message(self.tr("Report %1 submitted to the head for a decision.").replace("%1", record.number),
                          error=False)
        self.criminalReferred.emit(record.id)

    # --- referral ---------------------------------------------------------------------------------------------------
    def _show_referrals(self) -> None:
        """The 移送 tab, and above the case the reason of a referral the department returned (the case is the
        squad's again)."""
        r = self.record
        records = []
        if r is not None:
            records = self._attempt(lambda: self.referral_actions.service.for_case(self.store, r.id),
                                    self.tr("The referrals of this case could not be read: %1.")) or []
        self.referrals.show_records(records)
        latest = max(records, key=lambda x: str(x.submitted_at or ""), default=None)
        returned = (latest.data or {}).get("returned") if latest is not None \
            and status_of(latest) == ReferralStatus.RETURNED else None
        if returned and r.status != CaseStatus.REFERRED:
            self.referral_banner.setText(
                self.tr("Referral %1 was returned by %2 on %3. Reason: %4 — the case is open again for the squad.")
                .replace("%1", latest.number or "").replace("%2", self.orgs.name(latest.receiving_org))
                .replace("%3", str(returned.get("at") or "")[:10]).replace("%4", returned.get("reason") or ""))
        self.referral_banner.setVisible(bool(returned) and r is not None and r.status != CaseStatus.REFERRED)

    def refer(self) -> None:
        """移送: the referral form, pre-filled from the case; the case shows 已移送 once it is submitted."""
        r = self.record
        if r is None or (self.is_dirty() and not self.save()):
            return
        r = self.record
        svc = self.referral_actions.service
        refused = self._attempt(lambda: svc.refer_refusal(self.store, self.profile, r.id),
                                self.tr("The referral form could not be prepared: %1."))
        if refused:
            self.show_message(refused)
            return
        prepared = self._attempt(lambda: svc.prepare(self.store, self.profile, r.id),
                                 self.tr("The referral form could not be prepared: %1."))
        if prepared is None:
            return
        departments = self.orgs.of_kind(OrgKind.DEPARTMENT)
        dialog = ReferralDialog(r.number, prepared, departments, [(e.id, e.name) for e in r.evidence],
                                lambda form: svc.submit(self.store, self.profile, r.id, form), self)
        dialog.submitted.connect(lambda record: self._referred(r.id, record))
        if self.referral_dialog is not None:
            self.referral_dialog.deleteLater()  # the last one, closed by now (window-modal)
        self.referral_dialog = dialog
        dialog.open()

    def _referred(self, case_id: str, record) -> None:
        if self.record is not None and self.record.id == case_id:
            self._show(case_service.get_case(self.store, case_id))
            self.tabs.setCurrentWidget(self.referrals)
            self.show_message(self.tr("Referred to %1 (referral %2); the case is now “%3”.")
                              .replace("%1", record.receiving_name).replace("%2", record.number or "")
                              .replace("%3", self.record.status.label), error=False)
        self.saved.emit(case_id)

    def _referral_changed(self, _referral_id: str, case_id: str) -> None:
        """A step on a referral (here: the town's withdrawal) may have changed this case's status."""
        if self.record is not None and self.record.id == case_id and not self.is_dirty():
            self._show(case_service.get_case(self.store, case_id))
            self.tabs.setCurrentWidget(self.referrals)
            self.saved.emit(case_id)

    # --- legal review and printing --------------------------------------------------------------------------------
    def _review_done(self, message: str) -> None:
        """After a review step: the case as stored now, on its review tab, with what happened."""
        self._show(case_service.get_case(self.store, self.record.id))
        self.tabs.setCurrentWidget(self.review)
        self.show_message(message, error=False)
        self.saved.emit(self.record.id)

    def submit_review(self) -> None:
        r = self.record
        if r is None or (self.is_dirty() and not self.save()):
            return
        r = self.record
        dialog = SubmitReviewDialog(r.number, r.values.get("circumstances") or [],
                                    case_service.record_major_reasons(r, review_rules(self.store)),
                                    lambda materials, report: legal_review.submit(
                                        self.store, self.profile, r.id, materials=materials, report=report,
                                        expected_status=r.status), self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self._review_done(self.tr("Submitted for legal review (round %1, due %2).")
                              .replace("%1", str(dialog.result_record.round_no))
                              .replace("%2", str(dialog.result_record.due_on)))

    def review_case(self, review_id: str) -> None:
        """审核…: the window opens the case on the review desk (the answer is given there, beside the facts)."""
        if self.record is not None and review_id:
            self.reviewDeskRequested.emit(self.record.id)

    def extend_review(self, review_id: str) -> None:
        r = self.record
        if r is None or not review_id:
            return
        dialog = ExtendReviewDialog(lambda reason: legal_review.extend(self.store, self.profile, r.id, review_id,
                                                                       reason), self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self._review_done(self.tr("Review deadline extended to %1.")
                              .replace("%1", str(dialog.result_record.due_on)))

    def print_form(self, form: str) -> None:
        if self.record is None or (self.is_dirty() and not self.save()):
            return
        self.printer.print_form(form, self.record.id, self.record.number)

    def add_files(self, files: list[Path]) -> None:
        """Copy the files in off the GUI thread, with progress in per mille of all bytes (sizes pass 2**31)."""
        if self.record is None or (self.is_dirty() and not self.save()):
            return  # evidence is recorded against the saved case; unsaved typing must not be reloaded away
        case_id = self.record.id
        total = sum(_size(f) for f in files) or 1
        progress = QProgressDialog(self.tr("Copying evidence into the case file…"), "", 0, 1000, self)
        progress.setWindowModality(Qt.WindowModality.WindowModal)  # no typing into a form about to be reloaded
        progress.setCancelButton(None)
        progress.setMinimumDuration(300)
        progress.setWindowTitle(self.tr("Add evidence"))

        def work(report):
            problems, last, before = [], None, 0
            shown = -1

            def copied(n: int) -> None:
                nonlocal shown
                permille = (before + n) * 1000 // total
                if permille > shown:  # at most 1000 signals, however large the files
                    shown = permille
                    report(permille, 1000)

            for f in files:
                try:
                    last = add_evidence(self.store, self.profile, case_id, f, progress=copied)
                except DomainError as exc:
                    problems.append(exc.message)
                except (SQLAlchemyError, OSError) as exc:  # one bad file does not stop the others
                    problems.append(f"“{f.name}”：{storage_errors.describe(exc)}")
                before += _size(f)
            return last, problems

        def done(result) -> None:
            progress.close()
            last, problems = result
            if self.record is not None and self.record.id == case_id and last is not None:
                self._show(last)
                self.tabs.setCurrentWidget(self.evidence)
                self.saved.emit(case_id)
            if problems:
                self.show_message("\n".join(problems))

        def failed(exc, _trace) -> None:
            progress.close()
            self.show_message(self.tr("Evidence could not be added: %1").replace("%1", str(exc)))

        self.tasks.run(work, on_done=done, on_error=failed, on_progress=lambda d, _t: progress.setValue(d))
