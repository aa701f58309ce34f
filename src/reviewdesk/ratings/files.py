"""The `scores` import: one row per scored trade with its three DSR stars (PLATFORM §4.5).

No TOP API returns per-rating 描述/服务 stars, so sellers bring them in a file:
`reviewdesk import scores FILE --shop SLUG` with the columns tid, buyer_nick, trade_created,
rated_at, alipay (true/false), is_default (true/false), desc_score, service_score,
logistics_score (Chinese headers accepted too). Reading, header matching, row errors and the
rejects file are the shared importer's (platforms/files); this module only says what a row is.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import TypeVar

from reviewdesk.platforms.files import values
from reviewdesk.platforms.files.headers import Aliases
from reviewdesk.platforms.files.importer import ImportReport, file_import
from reviewdesk.platforms.files.kinds import ChunkOutcome, ImportKind
from reviewdesk.platforms.files.schemas import InvalidRowError, RowError
from reviewdesk.ratings.dsr import ScoredTrade
from reviewdesk.shops.models import Shop

NICK_LIMIT = 128  # ScoredTrade.buyer_nick max_length
T = TypeVar("T")

SCORE_ALIASES: Aliases = {
    "tid": ("tid", "订单号", "订单编号", "主订单编号"),
    "buyer_nick": ("buyer_nick", "nick", "买家昵称", "买家会员名", "买家"),
    "trade_created": ("trade_created", "created", "订单创建时间", "下单时间", "创建时间"),
    "rated_at": ("rated_at", "评分时间", "评价时间"),
    "alipay": ("alipay", "is_alipay", "支付宝交易"),
    "is_default": ("is_default", "默认评价", "系统默认好评"),
    "desc_score": ("desc_score", "描述相符"),
    "service_score": ("service_score", "服务态度"),
    "logistics_score": ("logistics_score", "logistics_service_score", "物流服务"),
}
SCORE_REQUIRED = ("tid", "buyer_nick", "trade_created", "rated_at")


def parse_score_row(cells: Mapping[str, object]) -> ScoredTrade:
    """One row -> ScoredTrade; raises InvalidRowError listing every bad cell.

    An empty `alipay` cell means an Alipay trade and an empty `is_default` an active score
    (practically every Taobao trade is Alipay, PLATFORM §9.3 D4); an empty star is unknown.
    """
    errors: list[RowError] = []

    def get(field: str, convert: Callable[[object], T], default: T) -> T:
        if field not in cells:
            return default
        try:
            return convert(cells[field])
        except ValueError as exc:
            errors.append(RowError(field, str(exc)))
            return default

    tid = get("tid", values.platform_id, 0)
    nick = get("buyer_nick", lambda raw: values.short_text(raw, limit=NICK_LIMIT), "")
    created = get("trade_created", values.datetime, None)
    rated = get("rated_at", values.datetime, None)
    alipay = get("alipay", values.boolean, None)
    is_default = get("is_default", values.boolean, None)
    desc, service, logistics = (
        get(f"{d}_score", values.stars, None) for d in ("desc", "service", "logistics")
    )
    for field, value in (("buyer_nick", nick), ("trade_created", created), ("rated_at", rated)):
        if value in ("", None) and not any(e.column == field for e in errors):
            errors.append(RowError(field, "不能为空 / required"))
    if created is not None and rated is not None and rated < created:
        errors.append(RowError("rated_at", "评分时间早于下单时间 / rated before trade creation"))
    if errors or created is None or rated is None:
        raise InvalidRowError(errors)
    return ScoredTrade(
        tid=tid,
        buyer=nick,
        trade_created=created,
        rated_at=rated,
        alipay=True if alipay is None else alipay,
        is_default=bool(is_default),
        desc=desc,
        service=service,
        logistics=logistics,
    )


def ingest_scores(
    *, shop: Shop, records: Sequence[ScoredTrade], source: str, at: dt.datetime
) -> ChunkOutcome:
    """One chunk into the database (inside the importer's transaction)."""
    from reviewdesk.ratings.services import scored_trades_upsert

    stats = scored_trades_upsert(shop=shop, trades=records, source=source)
    return ChunkOutcome(created=stats.created, changed=stats.changed, unchanged=stats.unchanged)


SCORES = ImportKind(
    name="scores",
    label="评分",
    aliases=SCORE_ALIASES,
    required=SCORE_REQUIRED,
    parse_row=parse_score_row,
    ingest=ingest_scores,
)


def scores_import(*, shop: Shop, path: Path) -> ImportReport:
    """Import a scores file into `shop`; idempotent (upsert by tid). See platforms.files.importer
    for the all-or-nothing transaction, the report and the rejects file."""
    return file_import(shop=shop, kind=SCORES, path=path)
