"""The plugin's hook handlers, behind the thin entry point `hooks/run.py`.

Every handler reads the client's JSON payload from stdin and answers with an exit code and, when
there is something to say, a JSON object on stdout. The tool hooks act only inside a workflow tree
(`scope`); the path taken for every other file imports nothing beyond the builtin `posix`: the
model writes many files, and each hook run must cost no more than starting a bare interpreter.
"""
