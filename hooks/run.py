"""Entry point of every hook of the workflow plugin: `python -I -S run.py EVENT`, payload on stdin.

Thin and quick on purpose (POSIX, like the commands in hooks.json): it imports nothing, not even
`os` (the builtin `posix` is already loaded). It finds the plugin's `scripts` folder from its own
location (the plugin is installed into a cache folder whose name changes with each version),
points the byte-code cache at `${CLAUDE_PLUGIN_DATA}/pycache` (the plugin folder may be read-only,
and PYTHONDONTWRITEBYTECODE may be set), and hands over to `specrail.hooks.<event>.main`.
Started with `-S`, the interpreter skips `site`: handlers import site-packages only when needed.
"""

from __future__ import annotations

import posix
import sys

HANDLERS = {
    "post-tool-use": "post_tool_use",
    "pre-tool-use": "pre_tool_use",
    "session-start": "session_start",
}


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
    here = __file__ if __file__.startswith("/") else posix.getcwd() + "/" + __file__
    root = here.rsplit("/", 2)[0]  # <root>/hooks/run.py
    sys.path.insert(0, root + "/scripts")
    raw_data = posix.environ.get(b"CLAUDE_PLUGIN_DATA", b"")
    data = raw_data.decode(sys.getfilesystemencoding(), "surrogateescape")
    if data:
        sys.pycache_prefix = data + "/pycache"
        sys.dont_write_bytecode = False
    else:
        sys.dont_write_bytecode = True  # never write into the plugin folder
    handler = __import__(f"specrail.hooks.{HANDLERS[event]}", fromlist=["main"])
    return int(handler.main())


if __name__ == "__main__":
    raise SystemExit(main())
