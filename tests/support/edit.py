"""A user's action on a data directory, for tests that drive clients through the headless commands:
`python -m tests.support.edit DIR create NAME` prints the new case id; `... DIR update CASE_ID FIELD VALUE`."""
from __future__ import annotations

import sys

from fx_desktop.paths import DataPaths
from fx_desktop.services import cases
from fx_desktop.store import open_store
from fx_desktop.sync import account
from tests.conftest import case_draft


def main(argv: list[str]) -> int:
    store = open_store(DataPaths.at(argv[0]))
    try:
        profile = account.current(store).profile
        if argv[1] == "create":
            print(cases.create_case(store, profile, case_draft(party_name=argv[2])).id)
        else:
            case_id, field, value = argv[2:5]
            record = cases.get_case(store, case_id)
            draft = record.draft()
            setattr(draft, field, value)
            cases.update_case(store, profile, case_id, draft, base_version=record.version)
        return 0
    finally:
        store.close()


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
