"""The error hierarchy; the CLI maps each class to an exit code in one place."""

from __future__ import annotations


class SpecrailError(Exception):
    """Base class. `exit_code` 1 means invalid input or a failed check, 2 usage or I/O."""

    exit_code = 2

    def __init__(self, message: str, *, file: str | None = None, pointer: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.file = file
        self.pointer = pointer

    def __str__(self) -> str:
        where = self.file or ""
        if self.pointer is not None:
            where = f"{where}::{self.pointer or '/'}"
        return f"{where}: {self.message}" if where else self.message


class InvalidInput(SpecrailError):
    """The input exists but is not acceptable (exit 1)."""

    exit_code = 1


class TransitionRefused(InvalidInput):
    """The state machine does not allow the requested step (exit 1)."""


class UsageFailure(SpecrailError):
    """Wrong arguments, unknown kind, missing session (exit 2)."""


class IOFailure(SpecrailError):
    """A file could not be read or written (exit 2)."""
