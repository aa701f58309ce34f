"""Compensation writes (DOMAIN R10-R11): offers, approvals, limits per role, the monthly budget.

An offer within the offerer's limits and the shop's monthly budget is approved at once; above the
limit (absolute amount or share of the order amount) it waits for a supervisor, above the budget
or the supervisor's own limit for the owner. The approver's own limit must cover the amount.
The reason and the buyer note pass the compliance check: compensation is for the problem and is
never tied to the review (DOMAIN compliance section).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.db import transaction

from reviewdesk.cases.models import Case, CaseEvent, CaseEventKind
from reviewdesk.compensation.errors import CompensationError, CompensationErrorCode
from reviewdesk.compensation.models import (
    CompensationKind,
    CompensationLimit,
    CompensationOffer,
    MonthlyBudget,
    OfferStatus,
)
from reviewdesk.compensation.selectors import month_spend, shop_month
from reviewdesk.core import clock
from reviewdesk.replies.compliance import check
from reviewdesk.shops.models import ROLE_RANK, Role, Shop
from reviewdesk.shops.selectors import Actor, actor_has_role, membership_get

CENT = Decimal("0.01")
# Used until the owner sets limits: an agent may grant a small goodwill amount alone (R10).
DEFAULT_LIMITS: dict[str, tuple[Decimal, Decimal]] = {
    Role.AGENT: (Decimal("20.00"), Decimal("0.3000")),
    Role.SUPERVISOR: (Decimal("100.00"), Decimal("1.0000")),
}


@dataclass(frozen=True, slots=True)
class Limit:
    max_amount: Decimal | None  # None: unlimited (owner, admin)
    max_share_of_order: Decimal | None


def _role_of(actor: Actor, shop: Shop) -> str:
    if getattr(actor, "is_superuser", False):
        return Role.ADMIN
    membership = membership_get(actor=actor, shop=shop)
    if membership is None:
        raise CompensationError(CompensationErrorCode.NOT_ALLOWED, "不是该店铺的成员")
    return membership.role


def _actor_id(actor: Actor) -> int | None:
    pk = getattr(actor, "pk", None)
    return int(pk) if pk is not None else None


def limit_for(*, shop: Shop, role: str) -> Limit:
    if ROLE_RANK[role] >= ROLE_RANK[Role.OWNER]:
        return Limit(None, None)
    row = CompensationLimit.objects.filter(shop=shop, role=role).first()
    if row is not None:
        return Limit(row.max_amount, row.max_share_of_order)
    amount, share = DEFAULT_LIMITS[role]
    return Limit(amount, share)


def _exceeds(limit: Limit, amount: Decimal, order_amount: Decimal | None) -> str:
    """Why `amount` is above `limit`, or "" when within. Unknown order amount: absolute only."""
    if limit.max_amount is not None and amount > limit.max_amount:
        return f"超过单笔上限 {limit.max_amount} 元"
    if limit.max_share_of_order is not None and order_amount:
        cap = (order_amount * limit.max_share_of_order).quantize(CENT)
        if amount > cap:
            share = (limit.max_share_of_order * 100).normalize()
            return f"超过订单金额的 {share:f}%（{cap} 元）"
    return ""


def _order_amount(case: Case) -> Decimal | None:
    return case.order.payment if case.order is not None else None


def _check_wording(*texts: str) -> None:
    for text in texts:
        result = check(text)
        if result.blocked:
            raise CompensationError(
                CompensationErrorCode.REVIEW_CONDITIONED,
                f"补偿只针对问题本身，不能与评价挂钩：{result.summary()}",
            )


def _parse_amount(amount: Decimal | str | int) -> Decimal:
    if isinstance(amount, float):
        raise CompensationError(CompensationErrorCode.INVALID_AMOUNT, "金额请用字符串或 Decimal")
    try:
        value = Decimal(str(amount)).quantize(CENT)
    except InvalidOperation as exc:
        raise CompensationError(
            CompensationErrorCode.INVALID_AMOUNT, f"金额 {amount!r} 无效"
        ) from exc
    if value < 0:
        raise CompensationError(CompensationErrorCode.INVALID_AMOUNT, "金额不能为负数")
    return value


def _budget_problem(shop: Shop, amount: Decimal, now: dt.datetime) -> str:
    budget = MonthlyBudget.objects.filter(shop=shop).first()
    if budget is None:
        return ""
    spent = month_spend(shop=shop, month=shop_month(shop, now))
    if spent + amount > budget.amount:
        return f"超出本月补偿预算（已用 {spent} / 预算 {budget.amount} 元）"
    return ""


def _timeline(case: Case, actor: Actor, message: str, offer: CompensationOffer) -> None:
    CaseEvent.objects.create(
        case=case,
        at=clock.now(),
        actor_id=_actor_id(actor),
        kind=CaseEventKind.NOTE,
        message=message,
        data={"compensation": offer.pk, "status": offer.status, "amount": str(offer.amount)},
    )


def _route(offer: CompensationOffer, role: str, now: dt.datetime) -> None:
    """Approve within the offerer's limit and budget, else name who must approve and why."""
    over_budget = _budget_problem(offer.shop, offer.amount, now)
    over_limit = _exceeds(
        limit_for(shop=offer.shop, role=role), offer.amount, _order_amount(offer.case)
    )
    if over_budget:
        offer.status = OfferStatus.PENDING_APPROVAL
        offer.approval_role = Role.OWNER
        offer.approval_note = over_budget
    elif over_limit:
        offer.status = OfferStatus.PENDING_APPROVAL
        offer.approval_role = Role.SUPERVISOR if role == Role.AGENT else Role.OWNER
        offer.approval_note = f"{Role(role).label}{over_limit}"
    else:
        offer.status = OfferStatus.APPROVED
        offer.approval_role = ""
        offer.approval_note = ""
        offer.decided_at = now
        offer.spend_month = shop_month(offer.shop, now)


def compensation_offer(
    *,
    actor: Actor,
    case: Case,
    kind: str,
    amount: Decimal | str | int,
    reason: str,
    buyer_note: str = "",
    agreed: bool = True,
) -> CompensationOffer:
    """Record an offer. `agreed=False` keeps it as a proposal under negotiation (R10: meet
    halfway); `compensation_confirm` routes it once the buyer agrees."""
    role = _role_of(actor, case.shop)
    if kind not in CompensationKind.values:
        raise CompensationError(CompensationErrorCode.INVALID_AMOUNT, f"未知的补偿类型 {kind!r}")
    value = _parse_amount(amount)
    if value == 0 and kind != CompensationKind.FREE_SHIPPING_NEXT:
        raise CompensationError(CompensationErrorCode.INVALID_AMOUNT, "金额必须大于 0")
    if not reason.strip():
        raise CompensationError(CompensationErrorCode.INVALID_AMOUNT, "请写明补偿针对的问题")
    _check_wording(reason, buyer_note)
    now = clock.now()
    with transaction.atomic():
        offer = CompensationOffer(
            shop=case.shop,
            case=case,
            kind=kind,
            amount=value,
            reason=reason.strip(),
            buyer_note=buyer_note.strip(),
            offered_by_id=_actor_id(actor),
            created_at=now,
            status=OfferStatus.PROPOSED,
        )
        if agreed:
            _route(offer, role, now)
        offer.save()
        _timeline(
            case,
            actor,
            f"补偿 {offer.get_kind_display()} {value} 元：{offer.get_status_display()}",
            offer,
        )
    return offer


def _offer_for_update(offer_id: int) -> CompensationOffer:
    offer = (
        CompensationOffer.objects.select_for_update(of=("self",))
        .select_related("shop", "case", "case__order")
        .filter(pk=offer_id)
        .first()
    )
    if offer is None:
        raise CompensationError(CompensationErrorCode.NOT_FOUND, f"补偿 {offer_id} 不存在")
    return offer


def compensation_confirm(*, actor: Actor, offer_id: int) -> CompensationOffer:
    with transaction.atomic():
        offer = _offer_for_update(offer_id)
        role = _role_of(actor, offer.shop)
        if offer.status != OfferStatus.PROPOSED:
            raise CompensationError(CompensationErrorCode.WRONG_STATUS, "只有协商中的补偿可以确认")
        _route(offer, role, clock.now())
        offer.save()
        _timeline(offer.case, actor, f"补偿确认：{offer.get_status_display()}", offer)
    return offer


def compensation_approve(*, actor: Actor, offer_id: int) -> CompensationOffer:
    """A supervisor (or the owner, when the offer needs one) approves in the app. The approver's
    own limit and the monthly budget must cover the amount."""
    with transaction.atomic():
        offer = _offer_for_update(offer_id)
        if not actor_has_role(actor=actor, shop=offer.shop, role=Role.SUPERVISOR):
            raise CompensationError(CompensationErrorCode.NOT_ALLOWED, "只有主管或掌柜可以审批补偿")
        if offer.status != OfferStatus.PENDING_APPROVAL:
            raise CompensationError(CompensationErrorCode.WRONG_STATUS, "这条补偿不在待审批状态")
        role = _role_of(actor, offer.shop)
        now = clock.now()
        if ROLE_RANK[role] < ROLE_RANK[offer.approval_role or Role.SUPERVISOR]:
            raise CompensationError(
                CompensationErrorCode.OVER_LIMIT,
                f"需要{Role(offer.approval_role).label}审批：{offer.approval_note}",
            )
        over = _exceeds(
            limit_for(shop=offer.shop, role=role), offer.amount, _order_amount(offer.case)
        )
        if not over and ROLE_RANK[role] < ROLE_RANK[Role.OWNER]:
            # Only the owner may spend beyond the monthly budget.
            over = _budget_problem(offer.shop, offer.amount, now)
        if over:
            raise CompensationError(CompensationErrorCode.OVER_LIMIT, f"需要掌柜审批：{over}")
        offer.status = OfferStatus.APPROVED
        offer.approved_by_id = _actor_id(actor)
        offer.decided_at = now
        offer.spend_month = shop_month(offer.shop, now)
        offer.save()
        _timeline(offer.case, actor, f"补偿已批准：{offer.amount} 元", offer)
    return offer


def compensation_reject(*, actor: Actor, offer_id: int, note: str = "") -> CompensationOffer:
    with transaction.atomic():
        offer = _offer_for_update(offer_id)
        if not actor_has_role(actor=actor, shop=offer.shop, role=Role.SUPERVISOR):
            raise CompensationError(CompensationErrorCode.NOT_ALLOWED, "只有主管或掌柜可以审批补偿")
        if offer.status != OfferStatus.PENDING_APPROVAL:
            raise CompensationError(CompensationErrorCode.WRONG_STATUS, "这条补偿不在待审批状态")
        offer.status = OfferStatus.REJECTED
        offer.approved_by_id = _actor_id(actor)
        offer.decided_at = clock.now()
        offer.approval_note = (
            (offer.approval_note + "；" + note).strip("；") if note else offer.approval_note
        )
        offer.save()
        _timeline(offer.case, actor, "补偿被驳回" + (f"：{note}" if note else ""), offer)
    return offer


def compensation_mark_paid(*, actor: Actor, offer_id: int) -> CompensationOffer:
    with transaction.atomic():
        offer = _offer_for_update(offer_id)
        if not actor_has_role(actor=actor, shop=offer.shop, role=Role.AGENT):
            raise CompensationError(CompensationErrorCode.NOT_ALLOWED, "不是该店铺的成员")
        if offer.status != OfferStatus.APPROVED:
            raise CompensationError(
                CompensationErrorCode.WRONG_STATUS, "只有已批准的补偿可以标记发放"
            )
        offer.status = OfferStatus.PAID
        offer.paid_at = clock.now()
        offer.save()
        _timeline(offer.case, actor, f"补偿已发放：{offer.amount} 元", offer)
    return offer


def compensation_cancel(*, actor: Actor, offer_id: int) -> CompensationOffer:
    with transaction.atomic():
        offer = _offer_for_update(offer_id)
        if not actor_has_role(actor=actor, shop=offer.shop, role=Role.AGENT):
            raise CompensationError(CompensationErrorCode.NOT_ALLOWED, "不是该店铺的成员")
        if offer.status in (OfferStatus.PAID, OfferStatus.CANCELLED, OfferStatus.REJECTED):
            raise CompensationError(CompensationErrorCode.WRONG_STATUS, "这条补偿已经结束")
        offer.status = OfferStatus.CANCELLED
        offer.decided_at = clock.now()
        offer.save()
        _timeline(offer.case, actor, "补偿已取消", offer)
    return offer


def compensation_limit_set(
    *,
    actor: Actor,
    shop: Shop,
    role: str,
    max_amount: Decimal | str | int,
    max_share_of_order: Decimal | str | int = Decimal("1"),
) -> CompensationLimit:
    """The owner sets what agents and supervisors may grant alone (R10)."""
    if not actor_has_role(actor=actor, shop=shop, role=Role.OWNER):
        raise CompensationError(CompensationErrorCode.NOT_ALLOWED, "只有掌柜可以设置补偿权限")
    if role not in (Role.AGENT, Role.SUPERVISOR):
        raise CompensationError(CompensationErrorCode.NOT_ALLOWED, "只能为客服和主管设置上限")
    amount = _parse_amount(max_amount)
    share = Decimal(str(max_share_of_order))
    if not Decimal("0") <= share <= Decimal("1"):
        raise CompensationError(
            CompensationErrorCode.INVALID_AMOUNT, "占订单金额比例应在 0 到 1 之间"
        )
    row, _ = CompensationLimit.objects.update_or_create(
        shop=shop,
        role=role,
        defaults={"max_amount": amount, "max_share_of_order": share, "set_by_id": _actor_id(actor)},
    )
    return row


def compensation_budget_set(
    *, actor: Actor, shop: Shop, amount: Decimal | str | int
) -> MonthlyBudget:
    if not actor_has_role(actor=actor, shop=shop, role=Role.OWNER):
        raise CompensationError(CompensationErrorCode.NOT_ALLOWED, "只有掌柜可以设置补偿预算")
    row, _ = MonthlyBudget.objects.update_or_create(
        shop=shop, defaults={"amount": _parse_amount(amount), "set_by_id": _actor_id(actor)}
    )
    return row
