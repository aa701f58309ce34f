"""Reads for playbooks, scripts, step checks, script use and explanations (STYLE C3).

Functions that take a `case` expect one the caller already obtained through
cases.selectors.case_get(actor=..., case_id=...), so scoping happened there. Functions that list
across cases take the actor and go through shops_visible_to.
"""

from __future__ import annotations

import datetime as dt
from contextlib import suppress
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from django.core.exceptions import FieldError
from django.db.models import Count, Exists, OuterRef, QuerySet, Value

from reviewdesk.cases.models import Case, CaseEvent
from reviewdesk.core import clock
from reviewdesk.replies.explanations import format_contact_times
from reviewdesk.replies.models import (
    Explanation,
    ReplySettings,
    ScriptTemplate,
    ScriptUse,
    ShopPlaybook,
    StepCheck,
    StepState,
)
from reviewdesk.replies.playbooks import (
    CaseFacts,
    Playbook,
    Script,
    Step,
    default_playbooks,
    default_scripts,
    playbook_from_data,
    select_playbook,
)
from reviewdesk.replies.templating import Rendered, render
from reviewdesk.shops.models import Membership, Shop
from reviewdesk.shops.selectors import Actor, shops_visible_to

CONTACT_EVENT_KIND = "contact"


def effective_playbooks(*, shop: Shop) -> dict[str, Playbook]:
    """Shipped defaults with the shop's edited copies laid over them (same key replaces)."""
    playbooks = dict(default_playbooks())
    for row in ShopPlaybook.objects.filter(shop=shop):
        playbooks[row.key] = playbook_from_data(
            {
                "key": row.key,
                "title": row.title,
                "kind": row.kind,
                "steps": row.steps,
                "causes": row.causes,
                "risk_flags": row.risk_flags,
                "min_review_age_days": row.min_review_age_days,
                "default": row.is_default,
                "source": row.source,
            },
            shop_copy=True,
        )
    return playbooks


def effective_scripts(*, shop: Shop) -> dict[str, Script]:
    """Defaults plus the shop's scripts; an inactive shop row hides the default of that key."""
    scripts = dict(default_scripts())
    for row in ScriptTemplate.objects.filter(shop=shop):
        if not row.is_active:
            scripts.pop(row.key, None)
            continue
        scripts[row.key] = Script(
            key=row.key,
            title=row.title,
            body=row.body,
            channel=row.channel,
            requires_offered_revise=row.requires_offered_revise,
            shop_copy=True,
            shop_script_id=row.pk,
        )
    return scripts


def case_facts(*, case: Case, now: dt.datetime | None = None) -> CaseFacts:
    now = now or clock.now()
    review = case.review
    age = (now - review.rated_at).days if review is not None else None
    return CaseFacts(
        kind=case.kind,
        cause=case.cause or "",
        risk_flags=tuple(case.risk_flags or ()),
        review_age_days=age,
    )


def playbook_for_case(*, case: Case, now: dt.datetime | None = None) -> Playbook:
    """By risk flags (extortion/competitor), the review's age (>30, >180 days), kind and cause."""
    return select_playbook(case_facts(case=case, now=now), effective_playbooks(shop=case.shop))


def required_steps_unchecked(*, case: Case) -> list[str]:
    """Titles of the required steps of the case's playbook that are neither checked nor skipped
    with a reason. The cases app's close guard calls this exact function (R14)."""
    playbook = playbook_for_case(case=case)
    done = set(StepCheck.objects.filter(case=case).values_list("step_key", flat=True))
    return [s.title for s in playbook.required_steps if s.key not in done]


@dataclass(frozen=True, slots=True)
class StepView:
    step: Step
    state: str  # "", "checked", "skipped"
    checked_by: str
    checked_at: dt.datetime | None
    note: str


def step_views(*, case: Case) -> tuple[Playbook, list[StepView]]:
    playbook = playbook_for_case(case=case)
    checks = {
        c.step_key: c for c in StepCheck.objects.filter(case=case).select_related("checked_by")
    }
    views = []
    for step in playbook.steps:
        check = checks.get(step.key)
        views.append(
            StepView(
                step=step,
                state=check.state if check else "",
                checked_by=check.checked_by.get_username() if check and check.checked_by else "",
                checked_at=check.checked_at if check else None,
                note=check.note if check else "",
            )
        )
    return playbook, views


def current_step(*, case: Case) -> Step:
    """The first step not yet done; the last step once all are done."""
    playbook, views = step_views(case=case)
    for view in views:
        if not view.state:
            return view.step
    return playbook.steps[-1]


def steps_skipped(*, actor: Actor, shop_slug: str | None = None) -> QuerySet[StepCheck]:
    """Required steps skipped with a reason, for the supervisor's review (R14)."""
    qs = StepCheck.objects.filter(
        state=StepState.SKIPPED, case__shop__in=shops_visible_to(actor)
    ).select_related("case", "case__shop", "checked_by")
    if shop_slug:
        qs = qs.filter(case__shop__slug=shop_slug)
    return qs.order_by("-checked_at", "-id")


# --- placeholders and scripts -----------------------------------------------------------------
def reply_settings(*, shop: Shop) -> ReplySettings:
    found = ReplySettings.objects.filter(shop=shop).first()
    return found if found is not None else ReplySettings(shop=shop)


def _shop_tz(shop: Shop) -> ZoneInfo:
    return ZoneInfo(shop.timezone or "Asia/Shanghai")


def _format_local(value: dt.datetime, tz: ZoneInfo) -> str:
    local = value.astimezone(tz)
    return f"{local.month}月{local.day}日 {local:%H:%M}"


def _next_appointment(case: Case, now: dt.datetime) -> dt.datetime | None:
    manager: Any = getattr(case, "appointments", None)
    if manager is None:
        return None
    try:
        appointment = manager.filter(at__gte=now).order_by("at").first()
    except FieldError:
        return None
    return appointment.at if appointment is not None else None


def contact_times(*, case: Case) -> list[dt.datetime]:
    """When the shop tried to reach the buyer: the cases app's ContactAttempt rows (when that
    relation exists) together with timeline events of kind "contact", without duplicates."""
    times: set[dt.datetime] = set(
        CaseEvent.objects.filter(case=case, kind=CONTACT_EVENT_KIND).values_list("at", flat=True)
    )
    manager: Any = getattr(case, "contact_attempts", None)
    if manager is not None:
        with suppress(FieldError):
            times.update(manager.values_list("at", flat=True))
    return sorted(times)


def _latest_offer_amount(case: Case) -> str | None:
    manager: Any = getattr(case, "compensation_offers", None)
    if manager is None:
        return None
    offer = manager.exclude(status__in=["rejected", "cancelled"]).order_by("-created_at").first()
    return f"{offer.amount}" if offer is not None else None


def placeholder_values(
    *, case: Case, actor: Actor, now: dt.datetime | None = None
) -> dict[str, object]:
    """Values for every placeholder that the case can fill; the rest render as markers."""
    now = now or clock.now()
    tz = _shop_tz(case.shop)
    settings_row = reply_settings(shop=case.shop)
    review = case.review
    item_title = review.order_item.title if review is not None else ""
    if not item_title and case.order is not None:
        first = case.order.items.order_by("id").first()
        item_title = first.title if first is not None else ""
    tid = review.tid if review is not None else (case.order.tid if case.order else None)
    agent_name = ""
    if getattr(actor, "pk", None) is not None:
        agent_name = getattr(actor, "first_name", "") or actor.get_username()
    appointment = _next_appointment(case, now)
    times = contact_times(case=case)
    return {
        "buyer_nick": case.buyer.nick if case.buyer else "",
        "item_title": item_title,
        "tid": tid,
        "agent_name": agent_name,
        "supervisor_account": settings_row.supervisor_account,
        "appointment_time": _format_local(appointment, tz) if appointment else None,
        "amount": _latest_offer_amount(case),
        "shop_name": case.shop.name,
        "processing_time": _format_local(
            now + dt.timedelta(hours=settings_row.processing_hours), tz
        ),
        "return_address": settings_row.return_address,
        "contact_times": format_contact_times(times, tz) if times else None,
        "courier": case.shipment.carrier if case.shipment is not None else None,
        "waybill_no": case.shipment.tracking_no if case.shipment is not None else None,
    }


@dataclass(frozen=True, slots=True)
class RenderedScript:
    script: Script
    rendered: Rendered


def scripts_for_step(
    *, case: Case, actor: Actor, step_key: str | None = None, now: dt.datetime | None = None
) -> tuple[Step, list[RenderedScript]]:
    """The step's scripts filled from the case. The revision how-to only when the buyer offered."""
    playbook = playbook_for_case(case=case, now=now)
    step = playbook.step(step_key) if step_key else None
    if step is None:
        step = current_step(case=case)
    scripts = effective_scripts(shop=case.shop)
    values = placeholder_values(case=case, actor=actor, now=now)
    rendered = []
    for key in step.scripts:
        script = scripts.get(key)
        if script is None:
            continue
        if script.requires_offered_revise and case.offered_revise_at is None:
            continue
        rendered.append(RenderedScript(script=script, rendered=render(script.body, values)))
    return step, rendered


def script_use_counts(*, actor: Actor, shop_slug: str | None = None) -> list[dict[str, Any]]:
    """Uses per script and per case outcome ("" while the case is open), most used first."""
    qs = ScriptUse.objects.filter(case__shop__in=shops_visible_to(actor))
    if shop_slug:
        qs = qs.filter(case__shop__slug=shop_slug)
    rows = (
        qs.values("script_key", "case__outcome")
        .annotate(uses=Count("id"))
        .order_by("-uses", "script_key", "case__outcome")
    )
    return [
        {"script": r["script_key"], "outcome": r["case__outcome"], "uses": r["uses"]} for r in rows
    ]


def explanation_for_case(*, case: Case) -> Explanation | None:
    return Explanation.objects.filter(case=case).first()


def explanation_posted(*, case: Case) -> bool:
    """Guard for the cases app's transition to EXPLAINED ("explanation_posted")."""
    return Explanation.objects.filter(case=case, posted_at__isnull=False).exists()


# --- shop settings pages (supervisor+) ------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class ScriptRow:
    """One script of the shop's library with where it is used and how often."""

    script: Script
    origin: str  # "default" (shipped), "edited" (shop copy of a default), "own" (shop's new one)
    active: bool
    steps: tuple[str, ...]  # titles of the steps that list it
    uses: int
    uses_by_outcome: dict[str, int]  # case outcome ("" = case still open) -> uses


@dataclass(frozen=True, slots=True)
class ScriptGroup:
    step_key: str  # "" for scripts no step lists, "-" for disabled ones
    step_title: str
    required: bool
    rows: list[ScriptRow]


def _uses_by_script(*, actor: Actor, shop: Shop) -> dict[str, dict[str, int]]:
    counts: dict[str, dict[str, int]] = {}
    for row in script_use_counts(actor=actor, shop_slug=shop.slug):
        counts.setdefault(row["script"], {})[row["outcome"] or ""] = row["uses"]
    return counts


def script_library(*, actor: Actor, shop: Shop) -> list[ScriptGroup]:
    """The shop's scripts grouped by the playbook step that lists them (each script once, under
    the first step in playbook order), then the scripts no step lists, then the disabled ones.
    `shop` came from shops.selectors.shop_get(actor=...)."""
    defaults = default_scripts()
    rows_by_key = {row.key: row for row in ScriptTemplate.objects.filter(shop=shop)}
    active = effective_scripts(shop=shop)
    uses = _uses_by_script(actor=actor, shop=shop)
    step_titles: dict[str, list[str]] = {}
    order: list[tuple[str, str, bool]] = []  # (step key, title, required) in playbook order
    first_step: dict[str, str] = {}
    for playbook in effective_playbooks(shop=shop).values():
        for step in playbook.steps:
            if step.key not in {k for k, _, _ in order}:
                order.append((step.key, step.title, step.required))
            for key in step.scripts:
                titles = step_titles.setdefault(key, [])
                if step.title not in titles:
                    titles.append(step.title)
                first_step.setdefault(key, step.key)

    def _row(script: Script, is_active: bool) -> ScriptRow:
        stored = rows_by_key.get(script.key)
        origin = "default" if stored is None else ("edited" if script.key in defaults else "own")
        by_outcome = uses.get(script.key, {})
        return ScriptRow(
            script=script,
            origin=origin,
            active=is_active,
            steps=tuple(step_titles.get(script.key, ())),
            uses=sum(by_outcome.values()),
            uses_by_outcome=dict(sorted(by_outcome.items())),
        )

    grouped: dict[str, list[ScriptRow]] = {}
    for key, script in active.items():
        grouped.setdefault(first_step.get(key, ""), []).append(_row(script, True))
    groups = [
        ScriptGroup(step_key=k, step_title=title, required=required, rows=grouped[k])
        for k, title, required in order
        if k in grouped
    ]
    if "" in grouped:
        groups.append(ScriptGroup(step_key="", step_title="", required=False, rows=grouped[""]))
    disabled = [
        _row(
            Script(
                key=row.key,
                title=row.title,
                body=row.body,
                channel=row.channel,
                requires_offered_revise=row.requires_offered_revise,
                shop_copy=True,
                shop_script_id=row.pk,
            ),
            False,
        )
        for row in sorted(rows_by_key.values(), key=lambda r: r.key)
        if not row.is_active
    ]
    if disabled:
        groups.append(ScriptGroup(step_key="-", step_title="", required=False, rows=disabled))
    return groups


def script_steps(*, shop: Shop) -> list[tuple[str, str]]:
    """(step key, title) of every step of the shop's playbooks, in playbook order, once each."""
    seen: dict[str, str] = {}
    for playbook in effective_playbooks(shop=shop).values():
        for step in playbook.steps:
            seen.setdefault(step.key, step.title)
    return list(seen.items())


@dataclass(frozen=True, slots=True)
class PlaybookRow:
    playbook: Playbook
    locked: frozenset[str]  # step keys required by the shipped playbook (cannot be un-required)


def playbook_list(*, shop: Shop) -> list[PlaybookRow]:
    """The shop's playbooks in shipped order (shop copies in place of their defaults)."""
    shipped = default_playbooks()
    rows = []
    for key, playbook in effective_playbooks(shop=shop).items():
        base = shipped.get(key)
        locked = frozenset(s.key for s in base.required_steps) if base is not None else frozenset()
        rows.append(PlaybookRow(playbook=playbook, locked=locked))
    return rows


@dataclass(frozen=True, slots=True)
class SkippedStep:
    check: StepCheck
    step_title: str
    playbook_title: str


def skipped_step_rows(*, actor: Actor, shop: Shop, limit: int = 200) -> list[SkippedStep]:
    """steps_skipped for one shop with the step and playbook titles resolved (R14)."""
    playbooks = effective_playbooks(shop=shop)
    rows = []
    for check in steps_skipped(actor=actor, shop_slug=shop.slug).select_related(
        "case__buyer", "case__review"
    )[:limit]:
        playbook = playbooks.get(check.playbook_key)
        step = playbook.step(check.step_key) if playbook is not None else None
        rows.append(
            SkippedStep(
                check=check,
                step_title=step.title if step is not None else check.step_key,
                playbook_title=playbook.title if playbook is not None else check.playbook_key,
            )
        )
    return rows


MANAGING_ROLES = ("supervisor", "owner", "admin")


def shops_managed_by(*, actor: Actor) -> QuerySet[Shop]:
    """Shops where the actor is supervisor or above: whose settings pages they may open."""
    shops = shops_visible_to(actor)
    if getattr(actor, "is_superuser", False) or actor.pk is None:
        return shops.order_by("slug")
    return shops.filter(
        memberships__user_id=int(actor.pk),
        memberships__is_active=True,
        memberships__role__in=MANAGING_ROLES,
    ).order_by("slug")


def shops_visible_with_manage(*, actor: Actor) -> QuerySet[Shop]:
    """shops_visible_to in slug order, each annotated `can_manage` (supervisor or above): the
    top bar lists the shops and the Shop settings menu from this one query."""
    shops = shops_visible_to(actor).order_by("slug")
    if getattr(actor, "is_superuser", False) or actor.pk is None:
        return shops.annotate(can_manage=Value(True))
    return shops.annotate(
        can_manage=Exists(
            Membership.objects.filter(
                shop=OuterRef("pk"),
                user_id=int(actor.pk),
                is_active=True,
                role__in=MANAGING_ROLES,
            )
        )
    )
