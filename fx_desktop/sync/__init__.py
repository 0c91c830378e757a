"""Offline-first sync with fx-bureau (SYNC.md): transport, credentials, push/pull engine, attachments.
Nothing here imports Qt except `worker.py`."""
