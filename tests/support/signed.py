"""Sign a session file a test wrote by hand, with the real signing code, as specrail would have."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from specrail import signing


def sign_file(path: Path) -> None:
    """Re-sign the JSON session file at `path` in place (what a record written by specrail on
    this machine carries)."""
    data = json.loads(path.read_text(encoding="utf-8"))
    path.write_text(json.dumps(signing.sealed(data), indent=2, ensure_ascii=False), encoding="utf-8")


def write_signed(path: Path, data: dict[str, Any]) -> None:
    """Write `data` as a session file at `path`, signed."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(signing.sealed(data), indent=2, ensure_ascii=False), encoding="utf-8")
