"""The steps of a referral as the user takes them: open the step's form, call services.referrals with the store
and the user, and announce what changed (`changed(referral id, case id)`) so the pages that show it refresh
(CONVENTIONS habit 12). One object per window, shared by the case's 移送 tab and the 移送 section."""
from __future__ import annotations

from datetime import date
from typing import Callable

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QWidget

from ..domain.organisations import OrgDirectory
from ..domain.referral import ReferralStatus
from .referral_steps import AcceptDialog, ReasonDialog, ResultDialog, SignDialog

# the steps by their mutation names (domain.referral.STEP_LABELS)
SIGN, ACCEPT, RETURN = "sign_referral", "accept_referral", "return_referral"
RESULT, WITHDRAW = "record_referral_result", "withdraw_referral"


def status_of(record) -> ReferralStatus:
    return ReferralStatus(str(record.status))


def _default_service():
    from ..services import referrals

    return referrals


class ReferralActions(QObject):
    changed = Signal(str, str)  # referral id, case id ("" when the case is not on this computer)
    superviseRequested = Signal(dict, str, str)  # 督办: the source, the matter, the responsible unit

    def may_supervise(self, record) -> bool:
        """The supervising office (the referring town's office staff or squad leader, the bureau) may follow a
        referral up with a supervision sheet (督办)."""
        org = getattr(self.profile, "org_code", None) or self.profile.town_code
        return record is not None and record.owner_org == org and str(self.profile.role) in (
            "squad_leader", "office_staff", "bureau_dispatcher")

    def supervise(self, record) -> None:
        self.superviseRequested.emit({"source_kind": "referral", "source_id": record.id,
                                      "source_text": f"{record.number}移送"}, "", record.receiving_org)

    def __init__(self, store, profile, orgs: OrgDirectory, printer, *, today: Callable[[], date] = date.today,
                 service=None, parent: QObject | None = None):
        """`service`: the module (or an object with the same functions) the steps call; services.referrals by
        default, imported on first use. `printer`: the window's FormPrinter."""
        super().__init__(parent)
        self.store, self.profile, self.orgs, self.printer, self.today = store, profile, orgs, printer, today
        self._service = service
        self.dialog = None  # the last step form opened (tests reach it here)

    @property
    def service(self):
        if self._service is None:
            self._service = _default_service()
        return self._service

    def set_profile(self, profile) -> None:
        self.profile = profile

    # --- who may do what ----------------------------------------------------------------------------------------
    def steps_for(self, record) -> list[str]:
        """The step buttons to show this user on `record` (the service knows; the domain checks again)."""
        return list(self.service.available_steps(record, self.profile))

    # --- the steps ----------------------------------------------------------------------------------------------
    def run(self, step: str, record, parent: QWidget) -> None:
        """Open the step's form over `parent`; on success `changed` is emitted once the service has stored it."""
        svc, store, rid, expected = self.service, self.store, record.id, str(record.status)
        number = record.number or ""
        if step == SIGN:
            dialog = SignDialog(number, self.profile.name, self.today(), lambda **args: svc.sign(
                store, self.profile, rid, **args, expected_status=expected), parent)
        elif step == ACCEPT:
            dialog = AcceptDialog(number, lambda their: svc.accept(
                store, self.profile, rid, their_number=their, expected_status=expected), parent)
        elif step == RETURN:
            dialog = ReasonDialog(self.tr("Return referral %1").replace("%1", number), self.tr(
                "The referral goes back to the town, whose case is open again. A reason is required: say why "
                "your department does not take the case."), lambda reason: svc.return_referral(
                store, self.profile, rid, reason=reason, expected_status=expected), parent,
                confirm=self.tr("Return referral %1 to the town? Your department then no longer has it; this "
                                "cannot be undone.").replace("%1", number))
        elif step == RESULT:
            dialog = ResultDialog(number, lambda result, reasons: svc.record_result(
                store, self.profile, rid, result=result, reasons=reasons, expected_status=expected), parent)
        elif step == WITHDRAW:
            dialog = ReasonDialog(self.tr("Withdraw referral %1").replace("%1", number), self.tr(
                "The department has not signed for it yet. The case returns to the squad with the status it had "
                "before. A reason is required."), lambda reason: svc.withdraw(
                store, self.profile, rid, reason=reason, expected_status=expected), parent,
                confirm=self.tr("Withdraw referral %1? The department can no longer sign for it; a new referral "
                                "would have to be made. This cannot be undone.").replace("%1", number))
        else:
            raise ValueError(step)
        dialog.setObjectName(f"referral_step_{step}")
        dialog.accepted.connect(lambda: self.changed.emit(rid, record.case_id or ""))
        if self.dialog is not None:
            self.dialog.deleteLater()  # the last step's form, closed by now (window-modal)
        self.dialog = dialog
        dialog.open()

    def print_form(self, form: str, record) -> None:
        """As `fx-desktop print` does: a town's issuing body by its full official name."""
        from ..services.print_data import referral_names

        self.printer.print_referral(form, record.data, record.number or "", referral_names(self.store))
