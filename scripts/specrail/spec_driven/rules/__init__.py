"""The spec-driven workflow's artifact rules, registered with the validation engine on import.

Stdlib only: the hooks' fast path loads this package when it checks a spec-driven file.
"""

from __future__ import annotations

from specrail.spec_driven.rules import config, layouts, session
from specrail.validation import registry

registry.register(layouts.RULES)
registry.register({"config": config.config, "workflow-session": session.workflow_session})
