"""Evidence kinds, one list for the client's services, its printed forms and fx-bureau's argument check."""
from __future__ import annotations

from typing import Literal

EVIDENCE_KINDS = {"photo": "照片", "video": "视频", "document": "文档"}
EvidenceKind = Literal["photo", "video", "document"]
