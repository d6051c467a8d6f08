#!/bin/sh
# SessionStart hook of the workflow plugin: run `run.py session-start` (the dependency bootstrap
# and the resume context) with a Python >= 3.11: the plugin's own venv when it exists (`bin/python`,
# or `Scripts/python.exe` on Windows), else the first suitable interpreter found, which then builds
# the venv. POSIX sh (Git Bash on Windows), no other tool needed.
entry="${0%/*}/run.py"
case "${CLAUDE_PLUGIN_DATA:-}" in
/* | [A-Za-z]:[\\/]* | \\\\*) data=$CLAUDE_PLUGIN_DATA ;;
*) data="" ;; # unset or relative: never run a venv found inside the project
esac
if [ -n "$data" ]; then
    for venv_python in "$data/venv/bin/python" "$data/venv/Scripts/python.exe"; do
        [ -x "$venv_python" ] && exec "$venv_python" -I -S "$entry" session-start
    done
fi
# `py -3` is the Windows launcher; `python3`/`python` under WindowsApps are the Microsoft Store's
# stubs, which install nothing and only print an advert: skip them.
for candidate in python3 python "py -3" python3.14 python3.13 python3.12 python3.11; do
    found=$(command -v "${candidate%% *}" 2>/dev/null) || continue
    case "$found" in *[Ww]indows[Aa]pps*) continue ;; esac
    # shellcheck disable=SC2086 # `py -3` is a command and its argument
    if $candidate -I -S -c 'import sys; sys.exit(sys.version_info < (3, 11))' </dev/null >/dev/null 2>&1; then
        exec $candidate -I -S "$entry" session-start
    fi
done
message="workflow plugin: no Python 3.11 or newer found on PATH (tried python3, python, py -3, python3.14 ... python3.11), so its helper specrail cannot be installed and the /workflow commands cannot run. Install Python 3.11+ (from python.org on Windows, not the Microsoft Store stub) and start a new session."
printf '{"systemMessage": "%s", "hookSpecificOutput": {"hookEventName": "SessionStart", "additionalContext": "%s"}}\n' "$message" "$message"
exit 0
