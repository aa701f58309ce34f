"""Refund and return requests of the simulated shop (DOMAIN 售后类型 退款; EXPORTS §3, §7).

A few % of orders get one request, consistent with the order and its reviews:
- an order closed after payment (`TRADE_CLOSED`, refunded before any review) was refunded in
  sale: 缺货, 未按约定时间发货 or a change of mind, agreed quickly;
- a buyer unhappy about an item (quality, not as described, size, wrong or missing, fake goods,
  price) asks about a third of the time for a return or a refund of that item, around the time
  of the neutral/bad review;
- a few satisfied buyers send an item back within seven days (七天无理由), or ask about 发票.
Each request then lives: agreed (return shipped, received) and refunded, withdrawn by the buyer,
or refused by the seller, sometimes followed by the platform stepping in (客服介入).

Pure in (world, order): every draw comes from the request's own stream
(`rng_for(seed, "refund", tid)`), so adding refunds changed no order or review of the demo.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import replace
from decimal import Decimal

from reviewdesk.aftersales.rules import RefundStatus
from reviewdesk.platforms.records import OrderItemRecord, OrderRecord, RefundRecord
from reviewdesk.platforms.simulator.world import (
    REFUND_ID,
    OrderPlan,
    RefundPlan,
    RefundStep,
    World,
    platform_id,
    rng_for,
)

H = dt.timedelta(hours=1)
LIVE_ID_OFFSET = 5 * 10**11  # live orders' requests get ids apart from history's
P_UNHAPPY_REFUND = 0.3
P_HAPPY_REFUND = 0.008
RECENT = dt.timedelta(days=6)
RECENT_BOOST = 2.5
# Causes a refund can follow from; logistics and service complaints rarely end in one.
REFUNDABLE = frozenset(
    {"quality", "not_as_described", "size_fit", "wrong_or_missing", "fake_goods", "price"}
)

# reason, goods come back?, descriptions ({title}: the item; "" = the buyer wrote nothing)
_Reason = tuple[str, bool, tuple[str, ...]]
_BY_CAUSE: dict[str, tuple[_Reason, ...]] = {
    "quality": (
        ("质量问题", True, ("{title}用了两天就开线了，要求退货", "收到就有污渍，洗不掉")),
        ("收到商品破损", True, ("快递盒压坏了，{title}也有破洞", "拆开包装就是坏的，拍了照片")),
        ("做工粗糙/有瑕疵", True, ("线头很多，走线歪歪扭扭", "")),
    ),
    "not_as_described": (
        (
            "颜色/图案/款式与商品描述不符",
            True,
            ("实物颜色和图片差太多了", "颜色偏暗，跟详情页完全两个色"),
        ),
        ("材质与商品描述不符", True, ("说是纯棉的，摸着像化纤", "")),
    ),
    "size_fit": (
        ("大小/尺寸与商品描述不符", True, ("按尺码表买的，穿着小了一号，想换大一码", "偏大很多")),
    ),
    "wrong_or_missing": (
        ("少件/漏发", False, ("买了两件只收到一件", "赠品没有收到，少发了")),
        ("商品错发", True, ("发来的颜色不是我拍的", "收到的款式跟订单不一样")),
    ),
    "fake_goods": (("收到假货", True, ("吊牌和官网不一样，怀疑不是正品", "做工太差了，像仿的")),),
    "price": (("商品降价，申请退差价", False, ("刚买两天就降价了，麻烦退一下差价", "")),),
}
_CHANGE_OF_MIND: tuple[_Reason, ...] = (
    ("七天无理由退换货", True, ("不太喜欢，没拆吊牌，七天无理由退", "家里已经有了，退掉")),
    ("不喜欢/不想要", True, ("买多了，不想要了", "")),
    ("发票问题", False, ("需要开专票，店铺开不了就退款吧", "发票抬头开错了")),
)
_IN_SALE: tuple[_Reason, ...] = (
    ("缺货", False, ("客服说没货了，让我申请退款", "等了好几天说缺货")),
    ("未按约定时间发货", False, ("说好48小时发货，三天了还没发", "一直不发货，不等了")),
    ("拍错/多拍/不想要", False, ("拍错颜色了，重新拍", "")),
)

_STATUS_TEXT = {
    RefundStatus.WAITING_SELLER: "买家已经申请退款，等待卖家同意",
    RefundStatus.WAITING_BUYER_RETURN: "卖家已经同意退款，等待买家退货",
    RefundStatus.WAITING_SELLER_CONFIRM: "买家已经退货，等待卖家确认收货",
    RefundStatus.SELLER_REFUSED: "卖家拒绝退款",
    RefundStatus.CLOSED: "退款关闭",
    RefundStatus.SUCCESS: "退款成功",
}
# How long the platform waits at each state before acting on its own (超时时间).
_TIMEOUTS = {
    RefundStatus.WAITING_SELLER: dt.timedelta(days=2),
    RefundStatus.WAITING_BUYER_RETURN: dt.timedelta(days=7),
    RefundStatus.WAITING_SELLER_CONFIRM: dt.timedelta(days=10),
    RefundStatus.SELLER_REFUSED: dt.timedelta(days=7),
}


def refund_plan(world: World, plan: OrderPlan, *, live: bool) -> RefundPlan | None:
    """The order's refund or return request, if its buyer files one (see the module doc)."""
    order = plan.order
    rng = rng_for(world.seed, "refund", order.tid)
    refund_id = platform_id(REFUND_ID, world.seed, plan.index + (LIVE_ID_OFFSET if live else 0))
    if order.status == "TRADE_CLOSED" and order.paid_at is not None:
        reason, _, texts = rng.choice(_IN_SALE)
        applied = order.paid_at + H * rng.uniform(1, 20)
        item = order.items[0]
        base = _record(
            rng,
            order,
            item,
            refund_id=refund_id,
            reason=reason,
            texts=texts,
            applied=applied,
            has_return=False,
        )
        amount = order.payment
        base = replace(base, oid=None, amount=amount, paid=amount, phase="in_sale")
        done = max(order.ended_at or applied + 8 * H, applied + H)
        steps = (
            RefundStep(dt.timedelta(0), base),
            _step(base, RefundStatus.SUCCESS, done - applied),
        )
        return RefundPlan(steps)
    if order.status != "TRADE_FINISHED" or order.ended_at is None:
        return None
    negative = [r for r in plan.reviews if r.is_negative() and r.cause in REFUNDABLE]
    # The demo's last days file more often, so the loaded queue shows requests in every state
    # (a request lives a few days: older ones are long refunded or withdrawn).
    recent = not live and world.anchor is not None and order.ended_at > world.anchor - RECENT
    boost = RECENT_BOOST if recent else 1.0
    if negative and not plan.angry_all_items and rng.random() < P_UNHAPPY_REFUND * boost:
        review = negative[0]
        cause, oid = review.cause or "quality", review.first.oid
        reason, goods_back, texts = rng.choice(_BY_CAUSE[cause])
        applied = review.first.rated_at
        if not live:  # around the review: a few hours before it, or up to a day after
            applied += H * rng.uniform(-6, 24)
            applied = max(applied, order.ended_at + H)
    elif rng.random() < P_HAPPY_REFUND * boost:
        cause, oid = "", order.items[0].oid
        reason, goods_back, texts = rng.choices(_CHANGE_OF_MIND, weights=(6, 3, 1))[0]
        rated = [r.first.rated_at for r in plan.reviews]
        applied = rated[0] if live and rated else order.ended_at + H * rng.uniform(6, 72)
    else:
        return None
    item = next((i for i in order.items if i.oid == oid), order.items[0])
    base = _record(
        rng,
        order,
        item,
        refund_id=refund_id,
        reason=reason,
        texts=texts,
        applied=applied,
        has_return=goods_back,
    )
    if cause == "price":
        base = replace(base, amount=Decimal(rng.choice(("10.00", "15.00", "20.00"))))
    return RefundPlan(_life(rng, base, fake=cause == "fake_goods"), cause=cause)


def _record(
    rng: random.Random,
    order: OrderRecord,
    item: OrderItemRecord,
    *,
    refund_id: int,
    reason: str,
    texts: tuple[str, ...],
    applied: dt.datetime,
    has_return: bool,
) -> RefundRecord:
    status = RefundStatus.WAITING_SELLER
    return RefundRecord(
        refund_id=refund_id,
        tid=order.tid,
        oid=item.oid,
        buyer_nick=order.buyer_nick,
        status=status,
        status_text=_STATUS_TEXT[status],
        reason=reason,
        description=rng.choice(texts).format(title=item.title[:12]),
        amount=item.payment,
        paid=item.payment,
        item_title=item.title,
        applied_at=applied,
        timeout_at=applied + _TIMEOUTS[status],
        phase="after_sale",
        has_return=has_return,
        goods_status="买家已收到货",
        intervention=False,
        intervention_text="客服未介入",
    )


def _step(
    base: RefundRecord,
    status: RefundStatus,
    after: dt.timedelta,
    *,
    intervention: bool = False,
) -> RefundStep:
    at = (base.applied_at or dt.datetime.min.replace(tzinfo=dt.UTC)) + after
    timeout = _TIMEOUTS.get(status)
    record = replace(
        base,
        status=status,
        status_text=_STATUS_TEXT[status],
        timeout_at=at + timeout if timeout is not None else None,
        finished_at=at if status in (RefundStatus.SUCCESS, RefundStatus.CLOSED) else None,
        goods_status="买家已退货" if status == RefundStatus.WAITING_SELLER_CONFIRM else "",
        intervention=intervention or None,
        intervention_text="客服介入中" if intervention else "",
    )
    return RefundStep(after, record)


def _life(rng: random.Random, base: RefundRecord, *, fake: bool) -> tuple[RefundStep, ...]:
    """Agreed (most), withdrawn after a talk, or refused (a fake-goods claim most often), and
    then sometimes taken to the platform, which decides."""
    steps = [RefundStep(dt.timedelta(0), base)]
    t = dt.timedelta(0)
    roll = rng.random()
    refuse = roll < (0.6 if fake else 0.18)
    if not refuse and roll < 0.8:
        t += H * rng.uniform(1, 20)
        if base.has_return:
            steps.append(_step(base, RefundStatus.WAITING_BUYER_RETURN, t))
            t += H * rng.uniform(12, 60)
            steps.append(_step(base, RefundStatus.WAITING_SELLER_CONFIRM, t))
            t += H * rng.uniform(12, 48)
        steps.append(_step(base, RefundStatus.SUCCESS, t))
    elif not refuse:
        t += H * rng.uniform(4, 30)  # talked into an exchange or a repair subsidy
        steps.append(_step(base, RefundStatus.CLOSED, t))
    else:
        t += H * rng.uniform(6, 30)
        steps.append(_step(base, RefundStatus.SELLER_REFUSED, t))
        if rng.random() < 0.6:
            t += H * rng.uniform(20, 48)
            steps.append(_step(base, RefundStatus.SELLER_REFUSED, t, intervention=True))
            final = RefundStatus.SUCCESS if rng.random() < 0.6 else RefundStatus.CLOSED
            t += H * rng.uniform(48, 96)
            steps.append(_step(base, final, t, intervention=True))
        else:
            t += H * rng.uniform(24, 72)
            steps.append(_step(base, RefundStatus.CLOSED, t))
    return tuple(steps)


def live_step_ticks(world: World, seq: int, refund: RefundPlan) -> tuple[int, ...]:
    """The live ticks at which the request's states show: filed at `seq`, then a few ticks
    apart (all within live.FATE_HORIZON)."""
    rng = rng_for(world.seed, "refund-ticks", refund.refund_id)
    ticks = [seq]
    for _ in refund.steps[1:]:
        ticks.append(ticks[-1] + rng.randint(2, 8))
    return tuple(ticks)


def live_record(step: RefundStep, at: dt.datetime) -> RefundRecord:
    """A later state shown at live time `at`: its times are relative to `at`; the filing time
    is not repeated (it was shown with step 0, and "empty" never erases)."""
    record = step.record
    shift = at - ((record.applied_at or at) + step.after)
    return replace(
        record,
        applied_at=None,
        timeout_at=record.timeout_at + shift if record.timeout_at else None,
        finished_at=record.finished_at + shift if record.finished_at else None,
    )
