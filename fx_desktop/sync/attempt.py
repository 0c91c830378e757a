"""One sync run for a caller that must know why it failed, not only what the report says: the GUI goes offline
and retries soon after an unreachable server, asks for a login after AuthRequired, and does not hurry a server
that refused. `SyncEngine.run` keeps only the message, so push and pull are wrapped to keep the exception."""
from __future__ import annotations

from dataclasses import dataclass

from .engine import Progress, SyncEngine, SyncReport
from .transport import AuthRequired, ServerProblem, SyncProblem, Unreachable

OK, OFFLINE, RETRY, LOGIN, REFUSED = "ok", "offline", "retry", "login", "refused"


class _Engine(SyncEngine):
    problem: SyncProblem | None = None

    def push(self, report: SyncReport, progress: Progress | None = None) -> None:
        try:
            super().push(report, progress)
        except SyncProblem as exc:
            self.problem = exc
            raise

    def pull(self, report: SyncReport, progress: Progress | None = None, *, verify: bool = True) -> None:
        try:
            super().pull(report, progress, verify=verify)
        except SyncProblem as exc:
            self.problem = exc
            raise


@dataclass(frozen=True)
class Attempt:
    report: SyncReport
    account: object  # the Account to continue with: a client reset gives it a new client id
    problem: SyncProblem | None

    @property
    def outcome(self) -> str:
        """ok, offline (no answer), retry (the server answered badly), login (tokens gone) or refused."""
        if self.problem is None:  # an error without a SyncProblem is the local disk or database: try again later
            return OK if self.report.error is None else RETRY
        if isinstance(self.problem, Unreachable):
            return OFFLINE
        if isinstance(self.problem, AuthRequired):
            return LOGIN
        if isinstance(self.problem, ServerProblem):
            return RETRY
        return REFUSED

    @property
    def retry_after(self) -> float | None:
        return getattr(self.problem, "retry_after", None)


def run(store, client, account, creds, progress: Progress | None = None) -> Attempt:
    engine = _Engine(store, client, account, creds)
    report = engine.run(progress)
    return Attempt(report, engine.account, engine.problem)
