"""Public explanations (评价解释, DOMAIN R9): the deadline and the template draft. Pure.

The draft follows R9: an apology, the exact times the shop tried to reach the buyer, an
invitation to contact a named supervisor account, optionally a new-product line. It never asks
for a revision and never mentions compensation (compliance), and stays under 500 characters
(PLATFORM §4.2). The LLM path (llm.py) replaces the wording but goes through the same checks.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol
from zoneinfo import ZoneInfo

EXPLANATION_WINDOW = dt.timedelta(days=30)  # PLATFORM §4.2 / §9.1 L8
MAX_CONTACT_TIMES = 5  # more makes the text long and reads like a complaint log

CAUSE_LINES: dict[str, str] = {
    "quality": "您反映的质量问题，我们已经交给质检同事逐件复查这批货。",
    "not_as_described": "实物和页面描述有出入，是我们没有做好，商品图片和说明正在重新核对。",
    "size_fit": "尺码不合适给您添了麻烦，我们会把尺码建议写得更清楚。",
    "dislike_style": "款式没有达到您的期待，您的感受我们记下了。",
    "wrong_or_missing": "发错或漏发是我们仓库的失误，核对流程已经加了一道复查。",
    "logistics": "物流耽误了您的时间，我们正和快递公司一起查找原因。",
    "service": "客服的回复没有让您感到被重视，我们已在内部复盘，并加强了培训。",
    "price": "价格方面让您觉得不划算，您的意见我们会认真参考。",
    "fake_goods": "您对商品来源的疑问我们非常重视，可随时向我们索取进货凭证。",
}
DEFAULT_CAUSE_LINE = "您提到的问题我们都记录下来了，会逐条改进。"
NEW_PRODUCT_LINE = "近期店里上了几款新品，有空欢迎您再来看看。"


class ExplainableReview(Protocol):
    rated_at: dt.datetime
    followup_content: str


@dataclass(frozen=True, slots=True)
class ExplanationFacts:
    shop_name: str
    supervisor_account: str
    contact_times: Sequence[dt.datetime] = ()
    cause: str = ""
    new_product_line: bool = False
    timezone: str = "Asia/Shanghai"


def explanation_deadline(review: ExplainableReview) -> dt.datetime | None:
    """The last moment an explanation can be posted; None once the buyer added a 追评 (L8)."""
    if review.followup_content.strip():
        return None
    return review.rated_at + EXPLANATION_WINDOW


def explanation_is_open(review: ExplainableReview, now: dt.datetime) -> bool:
    deadline = explanation_deadline(review)
    return deadline is not None and now <= deadline


def format_contact_times(times: Sequence[dt.datetime], tz: ZoneInfo) -> str:
    """'11月20日 10:15、20:25和11月21日 10:30' in shop-local time (R4: exact times only)."""
    chosen = sorted(times)[-MAX_CONTACT_TIMES:]
    if not chosen:
        return ""
    parts: list[str] = []
    last_day: dt.date | None = None
    for value in chosen:
        local = value.astimezone(tz)
        if local.date() == last_day:
            parts.append(f"{local:%H:%M}")
        else:
            parts.append(f"{local.month}月{local.day}日 {local:%H:%M}")
        last_day = local.date()
    if len(parts) == 1:
        return parts[0]
    return "、".join(parts[:-1]) + "和" + parts[-1]


def draft_explanation(facts: ExplanationFacts) -> str:
    """The template draft in Chinese; passes tone and compliance for any input (tested)."""
    tz = ZoneInfo(facts.timezone)
    lines = ["您好，这次购物没能让您满意，我们真诚地向您道歉。"]
    lines.append(CAUSE_LINES.get(facts.cause, DEFAULT_CAUSE_LINE))
    if facts.contact_times:
        times = format_contact_times(facts.contact_times, tz)
        lines.append(
            f"我们在{times}通过电话和旺旺联系过您，可惜没能和您说上话，没有当面听到您的意见，"
            "这一点也很遗憾。"
        )
    else:
        lines.append("我们一直在尝试联系您，希望能当面听听您的意见。")
    lines.append(
        f"如果您看到这条回复，欢迎在旺旺联系我们的售后主管（账号：{facts.supervisor_account}），"
        "主管会亲自跟进，直到您满意为止。"
    )
    if facts.new_product_line:
        lines.append(NEW_PRODUCT_LINE)
    lines.append(f"再次感谢您的反馈，{facts.shop_name}会把它用在改进上。")
    return "".join(lines)
