"""What a step of `specrail demo` is, shared by the demo runner and each workflow's demo steps."""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

from specrail.errors import SpecrailError

Step = Callable[[Path], dict[str, Any]]


def guarded(example: str, run: Step) -> Step:
    """A demo step running `run` on the example folder `example`; an error is a failed step."""

    def step(work: Path) -> dict[str, Any]:
        try:
            return run(work / example)
        except SpecrailError as exc:
            return {"ok": False, "summary": str(exc)}
        except (OSError, subprocess.CalledProcessError) as exc:
            return {"ok": False, "summary": f"{type(exc).__name__}: {exc}"}

    step.__doc__ = run.__doc__
    return step
