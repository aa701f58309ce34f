"""A small after-sales desk built through the real ingestion pipeline (STYLE C11: real services).

shop-a (甲店旗舰店): a two-item order from t**小白 with a bad review on the scarf (phone and address
known from the order import), a neutral review from j**阿花, a bad review that was later revised to
good (closed case, two versions), and a good review (no case). shop-b: one bad review.
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import os
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from reviewdesk.cases.models import Case
from reviewdesk.platforms.pipeline import ingest_orders, ingest_reviews
from reviewdesk.platforms.records import OrderItemRecord, OrderRecord, ReviewRecord
from tests.conftest import World, at

TID_XIAOBAI = 3028689418086124
OID_SCARF = 3028689418086125
OID_GLOVES = 3028689418086126
TID_AHUA = 3031457720159833
OID_AHUA = 3031457720159834
TID_REVISED = 3029011876543210
OID_REVISED = 3029011876543211
TID_GOOD = 3030222233334444
OID_GOOD = 3030222233334445
TID_SHOP_B = 4012345678901234
OID_SHOP_B = 4012345678901235
PHONE = "13812345678"
ADDRESS = "浙江省 杭州市 西湖区 文三路 138号 5幢 1单元 602"

OPENED = at("2026-11-20 10:15")
NOW = at("2026-11-20 13:20")  # three hours later


@dataclass
class Desk:
    world: World
    scarf_case: Case  # bad, t**小白, open, with order items and contact
    ahua_case: Case  # neutral, open
    revised_case: Case  # bad -> good, closed
    shop_b_case: Case  # shop B, agent_b


def _review(
    *,
    tid: int,
    oid: int,
    nick: str,
    result: str,
    content: str,
    title: str,
    rated: dt.datetime,
) -> ReviewRecord:
    return ReviewRecord(
        tid=tid,
        oid=oid,
        buyer_nick=nick,
        result=result,
        rated_at=rated,
        content=content,
        item_title=title,
    )


def build_desk(world: World) -> Desk:
    ingest_orders(
        shop=world.shop_a,
        records=[
            OrderRecord(
                tid=TID_XIAOBAI,
                buyer_nick="t**小白",
                status="TRADE_FINISHED",
                created_at=at("2026-11-11 00:03"),
                paid_at=at("2026-11-11 00:04"),
                ended_at=at("2026-11-18 09:30"),
                payment=Decimal("237.00"),
                receiver_name="王小明",
                phone=PHONE,
                address=ADDRESS,
                items=(
                    OrderItemRecord(
                        oid=OID_SCARF,
                        title="加厚羊毛围巾 男女冬季保暖",
                        num_iid=678901234567,
                        sku="颜色分类:燕麦色",
                        price=Decimal("168.00"),
                        payment=Decimal("158.00"),
                    ),
                    OrderItemRecord(
                        oid=OID_GLOVES,
                        title="触屏羊毛手套",
                        num_iid=678901234568,
                        sku="颜色分类:黑色",
                        price=Decimal("89.00"),
                        payment=Decimal("79.00"),
                    ),
                ),
            )
        ],
    )
    ingest_reviews(
        shop=world.shop_a,
        records=[
            _review(
                tid=TID_REVISED,
                oid=OID_REVISED,
                nick="z**大熊",
                result="bad",
                content="快递太慢了，等了一个星期",
                title="纯棉加厚卫衣",
                rated=at("2026-11-19 21:40"),
            ),
        ],
        source="taobao:traderates",
        at=at("2026-11-19 22:00"),
    )
    ingest_reviews(
        shop=world.shop_a,
        records=[
            _review(
                tid=TID_REVISED,
                oid=OID_REVISED,
                nick="z**大熊",
                result="good",
                content="客服很负责，问题解决了，衣服质量不错",
                title="纯棉加厚卫衣",
                rated=at("2026-11-19 21:40"),
            ),
            _review(
                tid=TID_XIAOBAI,
                oid=OID_SCARF,
                nick="t**小白",
                result="bad",
                content="围巾掉毛严重，戴一次脖子全是毛，差评！",
                title="加厚羊毛围巾 男女冬季保暖",
                rated=at("2026-11-20 10:02"),
            ),
            _review(
                tid=TID_AHUA,
                oid=OID_AHUA,
                nick="j**阿花",
                result="neutral",
                content="颜色和图片不太一样，有点色差，一般吧",
                title="复古碎花连衣裙",
                rated=at("2026-11-20 10:05"),
            ),
            _review(
                tid=TID_GOOD,
                oid=OID_GOOD,
                nick="m**小美",
                result="good",
                content="很暖和，包装也好，会回购",
                title="加厚羊毛围巾",
                rated=at("2026-11-20 10:07"),
            ),
            _review(
                tid=TID_XIAOBAI,
                oid=OID_GLOVES,
                nick="t**小白",
                result="good",
                content="",
                title="触屏羊毛手套",
                rated=at("2026-11-20 10:02"),
            ),
        ],
        source="taobao:traderates",
        at=OPENED,
    )
    ingest_reviews(
        shop=world.shop_b,
        records=[
            _review(
                tid=TID_SHOP_B,
                oid=OID_SHOP_B,
                nick="l**老王",
                result="bad",
                content="假货，和专柜的完全不一样",
                title="蓝牙耳机",
                rated=at("2026-11-20 09:00"),
            )
        ],
        source="taobao:traderates",
        at=OPENED,
    )
    by_oid = {c.review.oid: c for c in Case.objects.select_related("review")}  # type: ignore[union-attr]
    return Desk(
        world=world,
        scarf_case=by_oid[OID_SCARF],
        ahua_case=by_oid[OID_AHUA],
        revised_case=by_oid[OID_REVISED],
        shop_b_case=by_oid[OID_SHOP_B],
    )


@pytest.fixture
def desk(world: World) -> Desk:
    return build_desk(world)


# --- the real browser ---------------------------------------------------------------------------

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]


def chromium_path() -> Path:
    return Path(os.environ.get("REVIEWDESK_CHROMIUM", "/usr/bin/chromium"))


def browser_missing() -> str | None:
    """Why the browser tests cannot run here, or None when they can."""
    path = chromium_path()
    if not path.exists():
        return f"needs Chromium at {path} (Debian: apt-get install chromium)"
    if importlib.util.find_spec("playwright") is None:
        return "needs the playwright package (uv sync)"
    return None


def require_browser() -> Path:
    """Chromium's path; otherwise skip, or FAIL when REVIEWDESK_REQUIRE_BROWSER=1 (CI sets it), so
    CI can never pass by silently skipping the browser walk."""
    missing = browser_missing()
    if missing is not None:
        if os.environ.get("REVIEWDESK_REQUIRE_BROWSER") == "1":
            pytest.fail(f"REVIEWDESK_REQUIRE_BROWSER=1 but the browser tests cannot run: {missing}")
        pytest.skip(missing)
    return chromium_path()


@pytest.fixture
def chromium(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    """A launched Chromium (see require_browser for when it skips and when it fails)."""
    path = require_browser()
    # Playwright's sync API runs an event loop in this thread; Django's ORM calls made here by the
    # test itself are safe (they are ours, not the browser's).
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(path), args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()
