"""The mechanical steps of `/workflow:spec-driven`, one module per concern.

Importing this package imports nothing: `specdoc`, `proposal_doc` and `layouts` are stdlib only
(the hooks' fast path uses them through `md_rules`); the other modules need pydantic.
"""
