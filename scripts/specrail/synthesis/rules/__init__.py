"""The synthesis workflow's artifact rules, registered with the validation engine on import.

Stdlib only: the hooks' fast path loads this package when it checks a synthesis file.
"""

from __future__ import annotations

from specrail.synthesis.rules import records, review_report, specs
from specrail.validation import registry

registry.register(
    {
        "feature-index": records.feature_index,
        "feature-conflict-map": records.feature_conflict_map,
        "enhancement-recommendations": records.enhancement_recommendations,
    }
)
registry.register_documents(
    {
        "feature-spec": specs.feature_spec,
        "synthesis-specification": specs.synthesis_specification,
        "review-report": review_report.review_report,
    }
)
