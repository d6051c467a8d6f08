"""The mechanical steps of `/workflow:spec-driven`, one module per concern.

Importing this package imports nothing: `specdoc`, `proposal_doc` and `rules` are stdlib only
(the hooks' fast path loads `rules` through the validation engine's registry); the other modules
need pydantic.
"""
