"""The plugin's hook handlers, behind the thin entry point `hooks/run.py`.

Every handler reads the client's JSON payload from stdin and answers with an exit code, stderr
and, when the event reads one, a JSON object on stdout. Modules on the path taken for files that
are not workflow artifacts import only the stdlib's frozen core (`sys`, `os`): the model writes
many files, and each hook run must cost no more than starting a bare interpreter.
"""
