"""Writes for playbook steps, scripts, script use and explanations (STYLE C2).

Each takes `*, actor, case` where `case` came from cases.selectors.case_get(actor=...), checks
the actor's role in the case's shop, writes in one transaction and appends a timeline row.
"""

from reviewdesk.replies.services.common import (
    EXPLAIN_CAPABLE_CONNECTORS,
    compliance_context,
    outgoing_text_check,
)
from reviewdesk.replies.services.explanations import (
    connector_supports_explain,
    explanation_draft,
    explanation_facts,
    explanation_post,
    explanation_review_text,
    known_personal_data,
)
from reviewdesk.replies.services.playbooks import (
    playbook_required_set,
    playbook_save,
    reply_settings_update,
)
from reviewdesk.replies.services.scripts import (
    SCRIPT_KEY,
    script_deactivate,
    script_save,
    script_use_record,
)
from reviewdesk.replies.services.steps import (
    step_check,
    step_skip,
    step_skips_record,
    step_uncheck,
)

__all__ = [
    "EXPLAIN_CAPABLE_CONNECTORS",
    "SCRIPT_KEY",
    "compliance_context",
    "connector_supports_explain",
    "explanation_draft",
    "explanation_facts",
    "explanation_post",
    "explanation_review_text",
    "known_personal_data",
    "outgoing_text_check",
    "playbook_required_set",
    "playbook_save",
    "reply_settings_update",
    "script_deactivate",
    "script_save",
    "script_use_record",
    "step_check",
    "step_skip",
    "step_skips_record",
    "step_uncheck",
]
