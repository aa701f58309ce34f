"""Optional LLM drafting over an OpenAI-compatible chat-completions endpoint (httpx).

Configured by presence in settings.py (STYLE C14): REVIEWDESK_LLM_BASE_URL (for example
http://127.0.0.1:8080/v1), REVIEWDESK_LLM_API_KEY (or REVIEWDESK_LLM_API_KEY_FILE),
REVIEWDESK_LLM_MODEL, REVIEWDESK_LLM_TIMEOUT (seconds, default 20). Without a base URL the template
engine serves every draft.

Whatever the model writes passes the same compliance check as a human's text, and explanations
also the tone check; a draft that fails (or a timeout, or an HTTP error) falls back to the template
draft and says why. The API key is never logged and never part of a repr.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import httpx
from django.conf import settings

from reviewdesk.replies.compliance import CheckContext, check
from reviewdesk.replies.explanations import (
    ExplanationFacts,
    draft_explanation,
    format_contact_times,
)
from reviewdesk.replies.tone import check_tone

log = logging.getLogger(__name__)

SYSTEM_PROMPT = (
    "你是网店售后主管，替店铺写中文回复。必须遵守：语气谦和诚恳，先致歉；不讽刺、不指责买家、"
    "不争辩；不出现买家的手机号、地址、姓名；绝不要求买家修改、删除或追加评价，绝不把返现、"
    "红包、礼品、退款与评价挂钩；补偿只针对问题本身。只输出回复正文。"
)


@dataclass(frozen=True, slots=True)
class LlmConfig:
    base_url: str
    model: str
    api_key: str | None = field(default=None, repr=False)
    timeout: float = 20.0

    @classmethod
    def from_settings(cls) -> LlmConfig | None:
        base_url: str = settings.REVIEWDESK_LLM_BASE_URL
        if not base_url:
            return None
        return cls(
            base_url=base_url.rstrip("/"),
            model=settings.REVIEWDESK_LLM_MODEL,
            api_key=settings.REVIEWDESK_LLM_API_KEY,
            timeout=float(settings.REVIEWDESK_LLM_TIMEOUT),
        )


class LlmError(Exception):
    pass


def chat_complete(
    config: LlmConfig, messages: Sequence[dict[str, str]], *, temperature: float = 0.3
) -> str:
    """POST {base_url}/chat/completions; the first choice's content. Raises LlmError."""
    headers = {"Content-Type": "application/json"}
    if config.api_key:
        headers["Authorization"] = f"Bearer {config.api_key}"
    payload = {"model": config.model, "messages": list(messages), "temperature": temperature}
    try:
        response = httpx.post(
            f"{config.base_url}/chat/completions",
            json=payload,
            headers=headers,
            timeout=config.timeout,
        )
        response.raise_for_status()
        content = response.json()["choices"][0]["message"]["content"]
    except httpx.HTTPStatusError as exc:
        raise LlmError(f"LLM 接口返回 HTTP {exc.response.status_code}") from exc
    except httpx.HTTPError as exc:
        raise LlmError(f"LLM 接口不可用：{type(exc).__name__}") from exc
    except (KeyError, IndexError, TypeError, ValueError) as exc:
        raise LlmError("LLM 接口的返回格式不对") from exc
    if not isinstance(content, str) or not content.strip():
        raise LlmError("LLM 返回了空内容")
    return content.strip()


@dataclass(frozen=True, slots=True)
class Draft:
    text: str
    source: str  # "llm" | "template"
    fallback_reason: str = ""


def _explanation_prompt(facts: ExplanationFacts) -> list[dict[str, str]]:
    from zoneinfo import ZoneInfo

    times = format_contact_times(facts.contact_times, ZoneInfo(facts.timezone))
    lines = [
        "请为一条中差评写公开的评价解释（不超过300字）。",
        f"店铺：{facts.shop_name}",
        f"问题类型：{facts.cause or '未分类'}",
        f"我们联系买家的准确时间：{times or '暂无记录'}",
        f"请邀请买家联系售后主管账号：{facts.supervisor_account}",
    ]
    if facts.new_product_line:
        lines.append("结尾可以提一句近期有新品。")
    return [
        {"role": "system", "content": SYSTEM_PROMPT},
        {"role": "user", "content": "\n".join(lines)},
    ]


def _explanation_problems(text: str, known_personal: Iterable[str]) -> str:
    result = check(text)
    if result.blocked:
        return f"未通过合规检查：{result.summary()}"
    findings = check_tone(text, known_personal=known_personal)
    if findings:
        return "未通过语气检查：" + "；".join(f"{f.rule}" for f in findings)
    return ""


def draft_explanation_text(
    facts: ExplanationFacts,
    *,
    config: LlmConfig | None,
    known_personal: Iterable[str] = (),
) -> Draft:
    """An explanation draft from the LLM when configured and clean, else the template draft."""
    template = draft_explanation(facts)
    if config is None:
        return Draft(text=template, source="template")
    known = list(known_personal)
    try:
        text = chat_complete(config, _explanation_prompt(facts))
    except LlmError as exc:
        log.warning("llm draft failed (%s, model %s): %s", config.base_url, config.model, exc)
        return Draft(text=template, source="template", fallback_reason=str(exc))
    problem = _explanation_problems(text, known)
    if problem:
        return Draft(text=template, source="template", fallback_reason=f"LLM 草稿{problem}")
    return Draft(text=text, source="llm")


def draft_reply_text(
    *,
    buyer_message: str,
    step_title: str,
    fallback: str,
    config: LlmConfig | None,
    context: CheckContext | None = None,
) -> Draft:
    """A reply to the buyer for the current step; the step's first script when not usable."""
    if config is None:
        return Draft(text=fallback, source="template")
    messages = [
        {"role": "system", "content": SYSTEM_PROMPT},
        {
            "role": "user",
            "content": f"当前处理步骤：{step_title}\n买家说：{buyer_message}\n请写一条旺旺回复。",
        },
    ]
    try:
        text = chat_complete(config, messages)
    except LlmError as exc:
        return Draft(text=fallback, source="template", fallback_reason=str(exc))
    result = check(text, context)
    if result.blocked:
        reason = f"LLM 草稿未通过合规检查：{result.summary()}"
        return Draft(text=fallback, source="template", fallback_reason=reason)
    return Draft(text=text, source="llm")
