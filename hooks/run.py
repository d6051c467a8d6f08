"""Entry point of every hook of the workflow plugin: `python -I -S run.py EVENT`, payload on stdin.

Thin and quick on purpose: it imports nothing, not even `os` (the builtin `posix`, or `nt` on
Windows, is already loaded). It finds the plugin's `scripts` folder from its own location (the
plugin is installed into a cache folder whose name changes with each version; on Windows its path
may use backslashes), points the byte-code cache at `${CLAUDE_PLUGIN_DATA}/pycache` (the plugin
folder may be read-only, and PYTHONDONTWRITEBYTECODE may be set) or, when that folder is unset or
relative, writes no byte code at all (never into the project), and hands over to
`specrail.hooks.<event>.main`.
Started with `-S`, the interpreter skips `site`: handlers import site-packages only when needed.
"""

from __future__ import annotations

import sys

try:
    import posix as _os
except ImportError:  # Windows
    import nt as _os  # type: ignore[import-not-found, no-redef, unused-ignore]

HANDLERS = {
    "post-tool-use": "post_tool_use",
    "pre-tool-use": "pre_tool_use",
    "session-start": "session_start",
    "user-answer": "user_answer",
}


WINDOWS = sys.platform == "win32"


def is_absolute(path: str, windows: bool = WINDOWS) -> bool:
    """`/x` on POSIX; `C:\\x`, `C:/x` or `\\\\server\\x` on Windows."""
    if not windows:
        return path.startswith("/")
    return path[1:3] in (":\\", ":/") or path.startswith(("\\\\", "//"))


def plugin_root(entry: str, cwd: str, windows: bool = WINDOWS) -> str:
    """The plugin folder holding `entry` (`<root>/hooks/run.py`), with `/` separators."""
    if windows:
        entry, cwd = entry.replace("\\", "/"), cwd.replace("\\", "/")
    here = entry if is_absolute(entry, windows) else cwd.rstrip("/") + "/" + entry
    return here.rsplit("/", 2)[0]


def pycache_prefix(data: str, windows: bool = WINDOWS) -> str | None:
    """Where the hooks keep byte code: `data/pycache`; None (write none) for a missing or relative
    `data`, or when `pycache` is a link (the bootstrap replaces it; nothing outside `data` is written)."""
    if not data or not is_absolute(data, windows):
        return None
    prefix = data.rstrip("/\\") + "/pycache"
    try:
        is_link = _os.lstat(prefix).st_mode & 0o170000 == 0o120000
    except OSError:
        is_link = False
    return None if is_link else prefix


def main() -> int:
    if sys.version_info < (3, 11):  # noqa: UP036 - the fallback `python3` on PATH may be older
        found = ".".join(map(str, sys.version_info[:3]))
        where = sys.executable.replace("\\", "/").replace('"', "'")
        sys.stdout.write(
            f'{{"systemMessage": "workflow plugin: its hooks need Python 3.11 or newer (found {found} '
            f'at {where}); they are off until the SessionStart hook has set up its environment."}}\n'
        )
        return 0
    event = sys.argv[1] if len(sys.argv) > 1 else ""
    if event not in HANDLERS:
        sys.stderr.write(f"usage: run.py {{{'|'.join(HANDLERS)}}} < payload.json\n")
        return 0
    sys.path.insert(0, plugin_root(__file__, _os.getcwd()) + "/scripts")
    if WINDOWS:
        data = _os.environ.get("CLAUDE_PLUGIN_DATA", "")  # type: ignore[call-overload, unused-ignore]
    else:
        raw_data = _os.environ.get(b"CLAUDE_PLUGIN_DATA", b"")
        data = raw_data.decode(sys.getfilesystemencoding(), "surrogateescape")
    prefix = pycache_prefix(data)
    sys.pycache_prefix = prefix
    sys.dont_write_bytecode = prefix is None  # never into the plugin folder nor the project
    handler = __import__(f"specrail.hooks.{HANDLERS[event]}", fromlist=["main"])
    return int(handler.main())


if __name__ == "__main__":
    raise SystemExit(main())
