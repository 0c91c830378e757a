"""fx-bureau: the district bureau server that fx-desktop clients sync with (SYNC.md)."""
