"""Case writes (STYLE C2), split by concept: opening, assignment, transitions, contact,
appointment, sla_timers, notifications, policy.

Only `cases_apply_review_events`, `cases_apply_refund_events` and `cases_apply_logistics` are
re-exported, because
platforms/pipeline.py imports them from here; everything else is imported from its module
(`reviewdesk.cases.services.contact`, ...).
"""

from reviewdesk.cases.services.logistics import cases_apply_logistics
from reviewdesk.cases.services.opening import cases_apply_review_events
from reviewdesk.cases.services.refunds import cases_apply_refund_events

__all__ = ["cases_apply_logistics", "cases_apply_refund_events", "cases_apply_review_events"]
