"""The one place where typed domain errors become what a person reads (STYLE C2).

Views catch `DomainError` around their one service call and hand it here: `error_message` turns
it into a translated sentence (keeping the service's own wording where it carries the reason,
e.g. why an appointment time is vague), and `add_to_form` attaches it to the form field it is
about, so the form re-renders with the message next to the input.
"""

from __future__ import annotations

from django import forms
from django.http import Http404
from django.utils.translation import gettext as _

from reviewdesk.cases.errors import CaseError, CaseErrorCode
from reviewdesk.core.errors import DomainError
from reviewdesk.ratings.errors import RatingErrorCode
from reviewdesk.shops.errors import ShopErrorCode

# Which form field an error code is about; anything else is a form-wide error.
_FIELD_FOR_CODE: dict[str, str] = {
    CaseErrorCode.VAGUE_TIME.value: "time",
    CaseErrorCode.REASON_REQUIRED.value: "reason",
    CaseErrorCode.GUARD_FAILED.value: "reason",
}
_GUARD_PROBLEMS = {"reason", "explanation"}


def raise_if_not_found(exc: DomainError) -> None:
    """Unknown and forbidden look the same to the user: a 404, never an existence leak."""
    if exc.code in {
        CaseErrorCode.NOT_FOUND,
        ShopErrorCode.UNKNOWN_SHOP,
        RatingErrorCode.UNKNOWN_CASE,
    }:
        raise Http404(exc.message) from exc


def error_message(exc: DomainError) -> str:  # noqa: PLR0911
    code = exc.code
    if isinstance(exc, CaseError) and code is CaseErrorCode.GUARD_FAILED:
        steps = [d for d in exc.details if d not in _GUARD_PROBLEMS]
        if steps:
            return _(
                "Required playbook steps are not done: %(steps)s. "
                "Finish them, or give a reason to resolve anyway (your supervisor sees it)."
            ) % {"steps": "、".join(steps)}
        if "explanation" in exc.details:
            return _("No explanation is posted under the review yet: post one, or give a reason.")
        return _("Please give a reason.")
    if code is CaseErrorCode.REASON_REQUIRED:
        return _("Please give a reason.")
    if code is CaseErrorCode.TRANSITION_NOT_ALLOWED:
        return _(
            "This action is not possible from the case's current status; "
            "it may have changed meanwhile, so reload the page."
        )
    if code is CaseErrorCode.ALREADY_CLOSED:
        return _("The case is closed; reopen it first.")
    if code is CaseErrorCode.VAGUE_TIME:
        return _("Not an exact time: %(reason)s") % {"reason": exc.message}
    if code in {CaseErrorCode.NOT_ALLOWED, RatingErrorCode.NOT_ALLOWED}:
        return _("You are not allowed to do this in this shop.")
    return exc.message


def add_to_form(form: forms.Form, exc: DomainError) -> None:
    field = _FIELD_FOR_CODE.get(str(exc.code))
    form.add_error(field if field in form.fields else None, error_message(exc))
