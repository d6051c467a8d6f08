"""File access of specrail and its hooks alike.

Writes are atomic: a temp file in the same folder, fsync, rename, fsync of the folder. The new file
keeps the mode of the file it replaces (0644 stays 0644); a new file gets the mode the umask gives,
as `open` would (never the temp file's 0600). Reads are bounded: regular files only, opened without
blocking, with a size cap. The hooks read through this module, so what only writing needs
(`tempfile`, `glob`, `datetime`: a third of a hook's start-up) is imported where it is used.
"""

from __future__ import annotations

import json
import os
import re
import stat
from collections.abc import Callable
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from specrail.errors import InvalidInput, IOFailure
from specrail.validation.report import pointer

if TYPE_CHECKING:
    from collections.abc import Callable

MAX_BYTES = 10 * 1024 * 1024


def now() -> str:
    """The current UTC time as an ISO 8601 timestamp with a Z suffix."""
    from datetime import UTC, datetime

    return datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def temp_glob(path: Path) -> str:
    """The glob (in `path`'s folder) matching the temp files `atomic_write_text` makes for `path`."""
    import glob

    return f".{glob.escape(path.name)}.*.tmp"


def file_mode(path: Path) -> int:
    """The permission bits `path` has, or those a new file gets under the current umask."""
    try:
        return stat.S_IMODE(os.stat(path).st_mode)
    except OSError:
        mask = os.umask(0o022)
        os.umask(mask)
        return 0o666 & ~mask


def atomic_write_text(path: Path, text: str) -> None:
    """Replace `path` with `text`: readers see the old content or the new, never a mix."""
    _replace(path, lambda handle: handle.write(text))


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Replace `path` with `data`, atomically as `atomic_write_text` does."""
    _replace(path, lambda handle: handle.write(data), binary=True)


def atomic_copy(source: Path, target: Path) -> None:
    """Replace `target` with a copy of `source` the same way: on any failure (a full disk, an
    unreadable source) `target` keeps its old content and IOFailure names it."""
    import shutil

    def fill(handle: IO[Any]) -> None:
        with source.open("rb") as original:
            shutil.copyfileobj(original, handle)

    _replace(target, fill, binary=True)


def _replace(path: Path, fill: Callable[[IO[Any]], object], *, binary: bool = False) -> None:
    """Write a temp file in `path`'s folder with `fill`, fsync it, rename it over `path`, fsync the
    folder. The temp file takes `path`'s permission bits (a new file: the umask's)."""
    import tempfile

    path.parent.mkdir(parents=True, exist_ok=True)
    mode = file_mode(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        if hasattr(os, "fchmod"):
            os.fchmod(fd, mode)
        else:  # Windows: only the read-only bit exists
            os.chmod(tmp, mode)
        with os.fdopen(fd, "wb") if binary else os.fdopen(fd, "w", encoding="utf-8") as handle:
            fill(handle)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise IOFailure(f"cannot write: {exc.strerror or exc}", file=str(path)) from None
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    try:
        dir_fd = os.open(path.parent, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(dir_fd)
    except OSError:
        pass
    finally:
        os.close(dir_fd)


def atomic_write_json(path: Path, data: Any) -> None:
    atomic_write_text(path, json.dumps(data, indent=2, ensure_ascii=False) + "\n")


def read_bytes(path: str | os.PathLike[str], file: str, limit: int = MAX_BYTES) -> bytes:
    """The bytes of `path`, at most `limit`: the one way specrail and its hooks read a file.

    IOFailure when missing, unreadable or not a regular file; InvalidInput when too large. The
    file is opened without blocking and checked with fstat before any read: a FIFO could block
    forever and a device (a link to /dev/zero) never end.
    """
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_NOCTTY)
    except FileNotFoundError:
        raise IOFailure("no such file", file=file) from None
    except OSError as exc:
        raise IOFailure(f"cannot read: {exc.strerror or exc}", file=file) from None
    try:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            raise IOFailure("is a directory, not a file", file=file)
        if not stat.S_ISREG(info.st_mode):
            raise IOFailure("is not a regular file (a FIFO, socket or device); not read", file=file)
        if info.st_size > limit:
            raise InvalidInput(f"file is {info.st_size} bytes; the limit is {limit}", file=file)
        with os.fdopen(os.dup(fd), "rb") as handle:
            data = handle.read(limit + 1)
    except OSError as exc:
        raise IOFailure(f"cannot read: {exc.strerror or exc}", file=file) from None
    finally:
        os.close(fd)
    if len(data) > limit:
        raise InvalidInput(f"file is over {limit} bytes (it grew while read)", file=file)
    return data


def read_text(path: str | os.PathLike[str], file: str, limit: int = MAX_BYTES, errors: str = "strict") -> str:
    """UTF-8 text of `path` (see `read_bytes`); InvalidInput when not UTF-8 or binary, unless
    `errors` is "replace" (a lenient reader of the user's own files)."""
    data = read_bytes(path, file, limit)
    if errors != "strict":
        return data.decode("utf-8", errors)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InvalidInput(f"not UTF-8: invalid byte at offset {exc.start}", file=file) from None
    if "\x00" in text:
        raise InvalidInput(f"NUL byte at offset {data.index(0)}: binary data, not text", file=file)
    return text


_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


class _Repeated(dict[str, Any]):
    """A JSON object that repeated `key`; parse_json reports it with its pointer."""

    def __init__(self, pairs: dict[str, Any], key: str) -> None:
        super().__init__(pairs)
        self.key = key


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not valid JSON")


def _locate(data: Any, bad: Callable[[Any], bool]) -> list[Any] | None:
    """Path of the first value (or object key) for which `bad` holds, in document order."""
    stack: list[tuple[list[Any], Any]] = [([], data)]
    while stack:
        path, value = stack.pop()
        if bad(value):
            return path
        if isinstance(value, dict):
            for key in value:
                if bad(key):
                    return [*path, key]
            stack += [([*path, k], v) for k, v in reversed(value.items())]
        elif isinstance(value, list):
            stack += [([*path, i], v) for i, v in reversed(list(enumerate(value)))]
    return None


def parse_json(text: str, file: str) -> Any:
    """Strict JSON: no NaN or Infinity, no repeated key, no lone surrogate (each with its pointer)."""
    repeated: list[_Repeated] = []

    def objects(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        out = dict(pairs)
        if len(out) == len(pairs):
            return out
        seen: set[str] = set()
        key = next(k for k, _ in pairs if k in seen or seen.add(k))  # type: ignore[func-returns-value]
        repeated.append(_Repeated(out, key))
        return repeated[-1]

    try:
        data = json.loads(text, object_pairs_hook=objects, parse_constant=_no_constant)
    except json.JSONDecodeError as exc:
        raise InvalidInput(
            f"malformed JSON at line {exc.lineno} column {exc.colno}: {exc.msg}", file=file
        ) from None
    except ValueError as exc:
        raise InvalidInput(str(exc), file=file) from None
    except RecursionError:
        raise InvalidInput("JSON nested too deeply", file=file) from None
    if repeated:
        path = _locate(data, lambda v: v is repeated[0]) or []
        raise InvalidInput(f"duplicate key {repeated[0].key!r}", file=file, pointer=pointer(*path) or "/")
    if _SURROGATE_ESCAPE.search(text):
        lone = _locate(data, lambda v: isinstance(v, str) and bool(_LONE_SURROGATE.search(v)))
        if lone is not None:
            where = pointer(*lone).encode("utf-8", "backslashreplace").decode("utf-8") or "/"
            raise InvalidInput(
                "lone surrogate escape in a string (not valid Unicode)", file=file, pointer=where
            )
    return data
