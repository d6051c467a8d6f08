#!/bin/sh
# SessionStart hook of the workflow plugin: run `run.py session-start` (the dependency bootstrap
# and the resume context) with a Python >= 3.11: the plugin's own venv when it exists, else the
# first suitable interpreter on PATH, which then builds the venv. POSIX sh, no other tool needed.
entry="${0%/*}/run.py"
venv_python="${CLAUDE_PLUGIN_DATA:-/nonexistent}/venv/bin/python"
if [ -x "$venv_python" ]; then
    exec "$venv_python" -I -S "$entry" session-start
fi
for candidate in python3 python3.14 python3.13 python3.12 python3.11; do
    if command -v "$candidate" >/dev/null 2>&1 &&
        "$candidate" -I -S -c 'import sys; sys.exit(sys.version_info < (3, 11))' </dev/null >/dev/null 2>&1; then
        exec "$candidate" -I -S "$entry" session-start
    fi
done
message="workflow plugin: no Python 3.11 or newer found on PATH (tried python3, python3.14 ... python3.11), so its helper specrail cannot be installed and the /workflow commands cannot run. Install Python 3.11+ and start a new session."
printf '{"systemMessage": "%s", "hookSpecificOutput": {"hookEventName": "SessionStart", "additionalContext": "%s"}}\n' "$message" "$message"
exit 0
