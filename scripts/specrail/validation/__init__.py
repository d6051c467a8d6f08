"""Every check of every artifact, each with its seed source.

`check` dispatches a file to its rules by kind (`kinds`); `json_rules` and `md_rules` hold the rules
of the JSON and Markdown artifacts that the engine runs itself, `registry` the rules each workflow
owns (in `spec_driven/rules` and `synthesis/rules`, imported by name when their kind is checked);
`markdown`, `decomposition` and `patterns` are the readers and patterns they share; `report`
carries the results. Importing this package imports nothing else, so the hooks' fast path stays
stdlib-only.
"""
