"""Placeholders in scripts (话术) and explanation templates, filled from the case. Pure.

`{buyer_nick}` style placeholders from a closed vocabulary (PLACEHOLDERS). Unknown names are an
error when a template is saved (`validate_template`), so a typo never reaches a buyer. A known
placeholder without a value renders as a visible 【待填写：约定时间】 marker and is listed in
`Rendered.missing`: the agent still sees the whole script and fills the gap by hand, while
sending channels and the copy button refuse text that still has markers (`Rendered.is_complete`).
That beats raising (the case page would show nothing) and beats an empty string (the buyer would
read "我们会在之前给您回复"). `{{` and `}}` write literal braces.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

PLACEHOLDERS: dict[str, str] = {
    "buyer_nick": "买家昵称",
    "item_title": "商品名称",
    "tid": "订单号",
    "agent_name": "客服名字",
    "supervisor_account": "主管旺旺账号",
    "appointment_time": "约定的具体时间",
    "amount": "金额",
    "shop_name": "店铺名",
    "processing_time": "承诺的处理时限",
    "return_address": "退货地址",
    "courier": "快递公司",
    "waybill_no": "运单号",
    "contact_times": "联系买家的时间",
    "warranty_until": "保修截止日期",
}

_TOKEN = re.compile(r"\{\{|\}\}|\{([a-z_]+)\}|\{[^{}]*\}")
MISSING_MARK = "【待填写：{label}】"


class TemplateError(ValueError):
    pass


@dataclass(frozen=True, slots=True)
class Rendered:
    text: str
    missing: tuple[str, ...] = ()

    @property
    def is_complete(self) -> bool:
        return not self.missing


def placeholders_in(template: str) -> list[str]:
    names: list[str] = []
    for match in _TOKEN.finditer(template):
        piece = match.group(0)
        if piece in ("{{", "}}"):
            continue
        name = match.group(1)
        if name is None or name not in PLACEHOLDERS:
            known = "、".join(f"{{{k}}}" for k in PLACEHOLDERS)
            raise TemplateError(f"未知的占位符 {piece}；可用的有：{known}")
        if name not in names:
            names.append(name)
    return names


def validate_template(template: str) -> None:
    """Raise TemplateError for unknown placeholders or stray braces."""
    placeholders_in(template)
    stripped = _TOKEN.sub("", template)
    if "{" in stripped or "}" in stripped:
        raise TemplateError("花括号不成对；要写字面的花括号请用 {{ 或 }}")


def render(template: str, values: Mapping[str, object]) -> Rendered:
    """Fill placeholders; empty or absent values become visible markers (see module doc)."""
    validate_template(template)
    missing: list[str] = []

    def _sub(match: re.Match[str]) -> str:
        piece = match.group(0)
        if piece == "{{":
            return "{"
        if piece == "}}":
            return "}"
        name = match.group(1)
        value = values.get(name)
        if value is None or str(value).strip() == "":
            if name not in missing:
                missing.append(name)
            return MISSING_MARK.format(label=PLACEHOLDERS[name])
        return str(value)

    return Rendered(text=_TOKEN.sub(_sub, template), missing=tuple(missing))
