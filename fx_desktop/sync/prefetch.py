"""Pull pages fetched one ahead: while the caller applies a page, the next one is requested, answered by the server
and decoded on a thread of its own, so the server's work and the local database's overlap instead of taking turns.
Only one request is in flight at a time, and none is left running when the caller stops early (its answer is
waited for and dropped), so the caller's next request never shares the connection with it."""
from __future__ import annotations

from concurrent.futures import Future, ThreadPoolExecutor
from typing import Callable, Iterator


def pages_ahead(fetch: Callable[[str | None], dict], cursor: str | None, rounds: int) -> Iterator[dict]:
    """Pages from `cursor` on, at most `rounds`, each asked for with the previous page's cursor while that page is
    being used. A failed request raises where its page would have been yielded."""
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="fx-pull") as pool:
        ahead: Future | None = pool.submit(fetch, cursor)
        try:
            for _ in range(rounds):
                page = ahead.result()
                ahead = pool.submit(fetch, page["cursor"]) if page.get("more") else None
                yield page
                if ahead is None:
                    return
        finally:
            if ahead is not None:
                ahead.cancel()  # not started yet: never sent; running: the pool's exit waits for its answer
