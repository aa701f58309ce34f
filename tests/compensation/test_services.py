from __future__ import annotations

import re
from decimal import Decimal

import pytest
import time_machine

from reviewdesk.compensation.errors import CompensationError, CompensationErrorCode
from reviewdesk.compensation.models import CompensationLimit, CompensationOffer, MonthlyBudget
from reviewdesk.compensation.selectors import (
    month_spend,
    offers_pending_approval,
    spend_by_outcome,
    spend_for_case,
)
from reviewdesk.compensation.services import (
    compensation_approve,
    compensation_budget_set,
    compensation_cancel,
    compensation_confirm,
    compensation_limit_set,
    compensation_mark_paid,
    compensation_offer,
    compensation_reject,
)
from tests.conftest import World, at
from tests.replies.conftest import MakeCase

pytestmark = pytest.mark.postgres
REASON = "围巾掉毛，补贴买家就近处理"


def test_offer_within_the_agents_limit_is_approved_at_once(
    world: World, make_case: MakeCase
) -> None:
    case = make_case()

    offer = compensation_offer(
        actor=world.agent_a, case=case, kind="cash", amount="15.00", reason=REASON
    )

    assert (offer.status, offer.approval_role, offer.spend_month) == ("approved", "", "2026-11")
    assert spend_for_case(case=case) == Decimal("15.00")
    assert case.events.filter(kind="note").get().message == "补偿 现金 15.00 元：已批准"


def test_above_the_limit_a_supervisor_approves(world: World, make_case: MakeCase) -> None:
    case = make_case()
    compensation_limit_set(
        actor=world.owner,
        shop=world.shop_a,
        role="agent",
        max_amount="10",
        max_share_of_order="0.1",
    )

    offer = compensation_offer(
        actor=world.agent_a, case=case, kind="partial_refund", amount="12.00", reason=REASON
    )
    assert (offer.status, offer.approval_role) == ("pending_approval", "supervisor")
    assert offer.approval_note == "客服超过单笔上限 10.00 元"
    assert [o.pk for o in offers_pending_approval(actor=world.supervisor)] == [offer.pk]
    assert list(offers_pending_approval(actor=world.agent_a)) == []
    assert spend_for_case(case=case) == Decimal("0.00")

    with pytest.raises(CompensationError) as denied:
        compensation_approve(actor=world.agent_a2, offer_id=offer.pk)
    assert denied.value.code is CompensationErrorCode.NOT_ALLOWED

    approved = compensation_approve(actor=world.supervisor, offer_id=offer.pk)
    assert (approved.status, approved.approved_by) == ("approved", world.supervisor)
    assert spend_for_case(case=case) == Decimal("12.00")


def test_share_of_the_order_amount_is_a_limit_too(world: World, make_case: MakeCase) -> None:
    case = make_case(payment="30.00")
    compensation_limit_set(
        actor=world.owner,
        shop=world.shop_a,
        role="agent",
        max_amount="50",
        max_share_of_order="0.3",
    )

    offer = compensation_offer(
        actor=world.agent_a, case=case, kind="cash", amount="10.00", reason=REASON
    )

    assert offer.status == "pending_approval"
    assert offer.approval_note == "客服超过订单金额的 30%（9.00 元）"


def test_only_the_owner_sets_limits_and_budget(world: World) -> None:
    for actor in (world.supervisor, world.agent_a):
        with pytest.raises(CompensationError) as exc:
            compensation_limit_set(actor=actor, shop=world.shop_a, role="agent", max_amount="99")
        assert exc.value.code is CompensationErrorCode.NOT_ALLOWED
        with pytest.raises(CompensationError):
            compensation_budget_set(actor=actor, shop=world.shop_a, amount="1000")
    assert CompensationLimit.objects.count() == 0
    assert MonthlyBudget.objects.count() == 0


def test_over_the_monthly_budget_the_owner_approves(world: World, make_case: MakeCase) -> None:
    case = make_case()
    compensation_budget_set(actor=world.owner, shop=world.shop_a, amount="25")
    compensation_offer(actor=world.agent_a, case=case, kind="cash", amount="15", reason=REASON)

    offer = compensation_offer(
        actor=world.agent_a,
        case=case,
        kind="coupon",
        amount="15",
        reason="色差，补一张下次可用的券",
    )
    assert (offer.status, offer.approval_role) == ("pending_approval", "owner")
    assert offer.approval_note == "超出本月补偿预算（已用 15.00 / 预算 25.00 元）"

    with pytest.raises(CompensationError) as exc:
        compensation_approve(actor=world.supervisor, offer_id=offer.pk)
    assert exc.value.code is CompensationErrorCode.OVER_LIMIT

    compensation_approve(actor=world.owner, offer_id=offer.pk)
    assert month_spend(shop=world.shop_a, month="2026-11") == Decimal("30.00")


def test_budget_month_is_the_shop_local_month(world: World, make_case: MakeCase) -> None:
    case = make_case()
    # 2026-11-30 17:00 UTC is already 1 December in Shanghai.
    with time_machine.travel(at("2026-12-01 01:00"), tick=False):
        offer = compensation_offer(
            actor=world.agent_a, case=case, kind="cash", amount="5", reason=REASON
        )

    assert offer.spend_month == "2026-12"


@pytest.mark.parametrize(
    ("_case", "reason", "note"),
    [
        ("reason", "好评返现5元", ""),
        ("note asks revision", "围巾掉毛补偿", "补偿已发，麻烦把差评改一下"),
        ("note conditioned", "围巾掉毛补偿", "给个好评就给您退10元"),
    ],
)
def test_review_conditioned_wording_is_refused(
    world: World, make_case: MakeCase, _case: str, reason: str, note: str
) -> None:
    case = make_case()

    with pytest.raises(CompensationError) as exc:
        compensation_offer(
            actor=world.agent_a, case=case, kind="cash", amount="5", reason=reason, buyer_note=note
        )

    assert exc.value.code is CompensationErrorCode.REVIEW_CONDITIONED
    assert CompensationOffer.objects.count() == 0


def test_compensation_records_never_reference_the_review() -> None:
    forbidden = re.compile(r"review|result|rating|outcome|评价|好评|差评", re.IGNORECASE)
    for model in (CompensationOffer, CompensationLimit, MonthlyBudget):
        for field in model._meta.get_fields():
            assert not forbidden.search(field.name), (model.__name__, field.name)
            related = getattr(field, "related_model", None)
            assert related is None or related.__name__ not in {"Review", "ReviewVersion"}


def test_negotiated_proposal_counts_only_once_confirmed(world: World, make_case: MakeCase) -> None:
    case = make_case()
    offer = compensation_offer(
        actor=world.agent_a, case=case, kind="cash", amount="8", reason=REASON, agreed=False
    )
    assert offer.status == "proposed"
    assert spend_for_case(case=case) == Decimal("0.00")

    confirmed = compensation_confirm(actor=world.agent_a, offer_id=offer.pk)

    assert confirmed.status == "approved"
    assert spend_for_case(case=case) == Decimal("8.00")


def test_paid_rejected_and_cancelled(world: World, make_case: MakeCase) -> None:
    case = make_case()
    paid = compensation_offer(
        actor=world.agent_a, case=case, kind="cash", amount="5", reason=REASON
    )
    compensation_mark_paid(actor=world.agent_a, offer_id=paid.pk)
    big = compensation_offer(
        actor=world.agent_a, case=case, kind="cash", amount="80", reason=REASON
    )
    compensation_reject(actor=world.supervisor, offer_id=big.pk, note="先换新")
    small = compensation_offer(
        actor=world.agent_a, case=case, kind="gift", amount="3", reason="补发赠品"
    )
    compensation_cancel(actor=world.agent_a, offer_id=small.pk)

    statuses = list(CompensationOffer.objects.order_by("id").values_list("status", flat=True))
    assert statuses == ["paid", "rejected", "cancelled"]
    assert spend_for_case(case=case) == Decimal("5.00")
    with pytest.raises(CompensationError) as exc:
        compensation_cancel(actor=world.agent_a, offer_id=paid.pk)
    assert exc.value.code is CompensationErrorCode.WRONG_STATUS


def test_spend_per_outcome_is_scoped(world: World, make_case: MakeCase) -> None:
    solved, open_case = make_case(), make_case()
    compensation_offer(actor=world.agent_a, case=solved, kind="cash", amount="6", reason=REASON)
    compensation_offer(actor=world.agent_a, case=open_case, kind="cash", amount="4", reason=REASON)
    solved.outcome = "solved"
    solved.save(update_fields=["outcome"])

    assert spend_by_outcome(actor=world.owner) == {"": Decimal("4.00"), "solved": Decimal("6.00")}
    assert spend_by_outcome(actor=world.agent_b) == {}


def test_amounts_must_be_exact_and_positive(world: World, make_case: MakeCase) -> None:
    case = make_case()
    for amount in (0.1, "-1", "abc", "0"):
        with pytest.raises(CompensationError) as exc:
            compensation_offer(
                actor=world.agent_a,
                case=case,
                kind="cash",
                amount=amount,  # type: ignore[arg-type]
                reason=REASON,
            )
        assert exc.value.code is CompensationErrorCode.INVALID_AMOUNT
    free = compensation_offer(
        actor=world.agent_a, case=case, kind="free_shipping_next", amount="0", reason="物流延误"
    )
    assert free.status == "approved"


def test_agent_of_another_shop_cannot_offer(world: World, make_case: MakeCase) -> None:
    case = make_case()

    with pytest.raises(CompensationError) as exc:
        compensation_offer(actor=world.agent_b, case=case, kind="cash", amount="5", reason=REASON)

    assert exc.value.code is CompensationErrorCode.NOT_ALLOWED
    assert CompensationOffer.objects.count() == 0
