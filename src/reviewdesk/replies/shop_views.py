"""Shop settings pages for supervisors and owners: the script library, the playbooks with their
required steps, and the list of skipped required steps (docs/replies.md, "Shop settings").

Thin like every interface (STYLE C6): find the shop through shops.selectors.shop_get (another
shop is a 404, no existence leak), refuse members below supervisor with a 403, call one service
or selector with actor=request.user, render. A refused save re-renders the form with the
service's reason and, for a compliance block, each rule with its evidence; nothing is stored.

htmx posts get the region they target re-rendered (the library, one playbook card); a plain post
is redirected (303) on success or shown the page with the errors (400), so the pages work
without JavaScript.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from reviewdesk.replies import selectors, services
from reviewdesk.replies.compliance import Finding
from reviewdesk.replies.errors import ReplyError
from reviewdesk.replies.models import Channel
from reviewdesk.shops.errors import ShopError
from reviewdesk.shops.models import Role, Shop
from reviewdesk.shops.selectors import actor_has_role, shop_get

NEW_FORM = "new"


def managed_shop(request: HttpRequest, slug: str) -> Shop:
    """The shop when the user is its supervisor or above: 404 for a shop they cannot see, 403
    for a member below supervisor (they know the shop exists: it is theirs)."""
    try:
        shop = shop_get(actor=request.user, slug=slug)
    except ShopError as exc:
        raise Http404(exc.message) from exc
    if not actor_has_role(actor=request.user, shop=shop, role=Role.SUPERVISOR):
        raise PermissionDenied(_("Shop settings are for supervisors and owners."))
    return shop


def settings_context(request: HttpRequest, shop: Shop, tab: str) -> dict[str, Any]:
    """What every settings page's frame shows: the shop, the tabs, the other managed shops."""
    return {
        "shop": shop,
        "tab": tab,
        "managed_shops": list(selectors.shops_managed_by(actor=request.user)),
        "is_owner": actor_has_role(actor=request.user, shop=shop, role=Role.OWNER),
    }


def _is_htmx(request: HttpRequest) -> bool:
    return bool(getattr(request, "htmx", False))


@login_required
@require_GET
def shop_settings(request: HttpRequest, slug: str) -> HttpResponse:
    managed_shop(request, slug)
    return redirect("replies:shop_scripts", slug=slug)


# --- script library ---------------------------------------------------------------------------
@dataclass
class ScriptFormState:
    """A script form after a refused save: what was typed, and why it was refused."""

    values: dict[str, Any]
    error: str = ""
    field_name: str = ""
    findings: tuple[Finding, ...] = ()
    marked: tuple[tuple[str, bool], ...] = ()  # the blocked text, evidence flagged


def _marked(text: str, findings: tuple[Finding, ...]) -> tuple[tuple[str, bool], ...]:
    """The text cut into (piece, is_evidence) so the template can <mark> what was blocked."""
    pieces: list[tuple[str, bool]] = []
    pos = 0
    for f in sorted(findings, key=lambda f: f.start):
        if f.start < pos:
            continue
        pieces.append((text[pos : f.start], False))
        pieces.append((text[f.start : f.end], True))
        pos = f.end
    pieces.append((text[pos:], False))
    return tuple(p for p in pieces if p[0])


def _library_context(
    request: HttpRequest, shop: Shop, forms: dict[str, ScriptFormState] | None = None
) -> dict[str, Any]:
    context = settings_context(request, shop, "scripts")
    context.update(
        groups=selectors.script_library(actor=request.user, shop=shop),
        steps=selectors.script_steps(shop=shop),
        channels=Channel.choices,
        forms=forms or {},
        reply_settings=selectors.reply_settings(shop=shop),
        saved=request.GET.get("saved", ""),
    )
    return context


def _library_response(
    request: HttpRequest, shop: Shop, *, forms: dict[str, ScriptFormState], saved: str = ""
) -> HttpResponse:
    if not forms and not _is_htmx(request):
        url = reverse("replies:shop_scripts", kwargs={"slug": shop.slug})
        return redirect(f"{url}?saved={saved}" if saved else url)
    context = _library_context(request, shop, forms)
    context["saved"] = saved
    if _is_htmx(request):
        return render(request, "replies/settings/_library.html", context)
    return render(request, "replies/settings/scripts.html", context, status=400)


@login_required
@require_GET
def shop_scripts(request: HttpRequest, slug: str) -> HttpResponse:
    shop = managed_shop(request, slug)
    return render(request, "replies/settings/scripts.html", _library_context(request, shop))


@login_required
@require_POST
def shop_script_save(request: HttpRequest, slug: str) -> HttpResponse:
    """Save an edited script (form id = its key) or a new one (form id "new")."""
    shop = managed_shop(request, slug)
    post = request.POST
    form_id = post.get("form_id", NEW_FORM)
    values: dict[str, Any] = {
        "key": post.get("key", "").strip(),
        "title": post.get("title", ""),
        "body": post.get("body", ""),
        "channel": post.get("channel", "im"),
        "requires_offered_revise": post.get("requires_offered_revise") == "on",
        "attach_to_step": post.get("attach_to_step", ""),
    }
    try:
        services.script_save(actor=request.user, shop=shop, **values)
    except ReplyError as exc:
        blocked_text = str(values.get(exc.field, "")) if exc.findings else ""
        state = ScriptFormState(
            values=values,
            error=exc.message if not exc.findings else "",
            field_name=exc.field,
            findings=exc.findings,
            marked=_marked(blocked_text, exc.findings),
        )
        return _library_response(request, shop, forms={form_id: state})
    return _library_response(request, shop, forms={}, saved=str(values["key"]))


@login_required
@require_POST
def shop_script_deactivate(request: HttpRequest, slug: str, key: str) -> HttpResponse:
    shop = managed_shop(request, slug)
    try:
        services.script_deactivate(actor=request.user, shop=shop, key=key)
    except ReplyError as exc:
        state = ScriptFormState(values={"key": key}, error=exc.message)
        return _library_response(request, shop, forms={key: state})
    return _library_response(request, shop, forms={}, saved=key)


@login_required
@require_POST
def shop_reply_settings(request: HttpRequest, slug: str) -> HttpResponse:
    """The values scripts fill in: supervisor account (R9), return address (R14), time limit."""
    shop = managed_shop(request, slug)
    hours_text = request.POST.get("processing_hours", "").strip()
    try:
        hours = int(hours_text) if hours_text else None
    except ValueError:
        hours = 0  # refused by the service with its range message
    try:
        services.reply_settings_update(
            actor=request.user,
            shop=shop,
            supervisor_account=request.POST.get("supervisor_account"),
            return_address=request.POST.get("return_address"),
            processing_hours=hours,
        )
    except ReplyError as exc:
        context = _library_context(request, shop)
        context["settings_error"] = exc.message
        return render(request, "replies/settings/scripts.html", context, status=400)
    url = reverse("replies:shop_scripts", kwargs={"slug": shop.slug})
    return redirect(f"{url}?saved=settings")


# --- playbooks --------------------------------------------------------------------------------
def _playbooks_context(request: HttpRequest, shop: Shop) -> dict[str, Any]:
    context = settings_context(request, shop, "playbooks")
    context["rows"] = selectors.playbook_list(shop=shop)
    return context


@login_required
@require_GET
def shop_playbooks(request: HttpRequest, slug: str) -> HttpResponse:
    shop = managed_shop(request, slug)
    return render(request, "replies/settings/playbooks.html", _playbooks_context(request, shop))


@login_required
@require_POST
def shop_playbook_required(request: HttpRequest, slug: str, key: str) -> HttpResponse:
    """Mark which steps of one playbook are required in this shop (more than shipped, never
    fewer: services.playbook_required_set)."""
    shop = managed_shop(request, slug)
    error = ""
    try:
        services.playbook_required_set(
            actor=request.user, shop=shop, key=key, required=request.POST.getlist("required")
        )
    except ReplyError as exc:
        error = exc.message
    if not error and not _is_htmx(request):
        url = reverse("replies:shop_playbooks", kwargs={"slug": shop.slug})
        return redirect(f"{url}#playbook-{key}")
    context = _playbooks_context(request, shop)
    row = next((r for r in context["rows"] if r.playbook.key == key), None)
    if row is None:
        raise Http404(key)
    context.update(error_key=key, error=error, saved_key="" if error else key)
    if _is_htmx(request):
        return render(request, "replies/settings/_playbook_card.html", {**context, "row": row})
    return render(request, "replies/settings/playbooks.html", context, status=400)


# --- skipped required steps -------------------------------------------------------------------
@login_required
@require_GET
def shop_skipped_steps(request: HttpRequest, slug: str) -> HttpResponse:
    shop = managed_shop(request, slug)
    context = settings_context(request, shop, "skipped")
    context["rows"] = selectors.skipped_step_rows(actor=request.user, shop=shop)
    return render(request, "replies/settings/skipped.html", context)
