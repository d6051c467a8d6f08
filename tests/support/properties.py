"""Hypothesis profiles: `ci` (the default) draws the same examples on every run; `random`, chosen with
HYPOTHESIS_PROFILE=random, draws new ones and more of them, to hunt for cases the fixed seed misses.

The root conftest loads the profile before any test module builds its settings.
"""

from __future__ import annotations

import os

from hypothesis import settings

PROFILE_ENV = "HYPOTHESIS_PROFILE"


def load_profile() -> str:
    """Register both profiles and load the one HYPOTHESIS_PROFILE names (`ci` when unset)."""
    settings.register_profile("ci", derandomize=True, database=None, print_blob=True)
    settings.register_profile("random", derandomize=False, max_examples=1000, print_blob=True)
    name = os.environ.get(PROFILE_ENV, "ci")
    settings.load_profile(name)
    return name


def examples(count: int) -> int:
    """A test's own number of examples, or the profile's when that asks for more."""
    loaded = settings.default
    return max(count, loaded.max_examples if loaded is not None else 0)
