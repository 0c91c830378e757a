"""After start-up, move every object made so far (modules, Qt wrappers, SQLAlchemy's metadata) out of reach of
the cyclic garbage collector: a full collection would otherwise walk them all, and when one lands on a
keystroke the search results arrive tens of milliseconds late."""
from __future__ import annotations

import gc


def freeze_startup_objects() -> None:
    gc.collect()
    gc.freeze()
