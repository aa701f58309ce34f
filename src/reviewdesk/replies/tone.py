"""Tone check for public explanations (评价解释, DOMAIN R9). Pure; no Django imports.

Later buyers read the explanation before they buy: a sarcastic, blaming or arguing reply costs
their trust (seed 003), a humble one can turn a bad review into an advertisement (seed 004). Each
finding names its rule and says in Chinese why it matters and what to do instead.

Decisions (docs/replies.md):
- Personal data: mobile numbers, street addresses, the receiver's real name, and any known contact
  value of this buyer are flagged — an explanation is public. Order numbers are not personal data
  and are not flagged as such, but they help nobody reading the review and scammers quote them to
  impersonate customer service, so a 15-19 digit number gets its own finding `order_number`.
- Length: PLATFORM §4.2 allows at most 500 汉字; we count every character (letters, digits and
  punctuation too), which is the conservative reading.
- Severity: `error` findings (personal data, too long) make posting impossible; `warning` findings
  (tone) need the agent to confirm they have read them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

MAX_EXPLANATION_CHARS = 500  # PLATFORM §4.2: reply ≤ 500 汉字


@dataclass(frozen=True, slots=True)
class ToneFinding:
    rule: str
    message: str
    evidence: str = ""
    severity: str = "warning"  # "warning" | "error"

    def as_dict(self) -> dict[str, str]:
        return {
            "rule": self.rule,
            "message": self.message,
            "evidence": self.evidence,
            "severity": self.severity,
        }


@dataclass(frozen=True, slots=True)
class _PatternRule:
    rule: str
    message: str
    pattern: re.Pattern[str]
    severity: str = "warning"


_RULES: tuple[_PatternRule, ...] = (
    _PatternRule(
        "sarcasm",
        "语气带有讽刺或阴阳怪气，后来的买家会觉得店家不尊重顾客。请改用平实、诚恳的说法。",
        re.compile(
            r"呵呵|您开心就好|你开心就好|亲是不是|您是不是没|你是不是没|[?？][!！]|[!！][?？]"
            r"|建议(?:您|你|亲)?(?:下次)?(?:先|仔细|认真|好好|看清|学会|多)"
            r"|随便您|随便你|您说了算|无语|服了|醉了|爱买不买|不差您这一单|不差你这一单"
        ),
    ),
    _PatternRule(
        "blame",
        "把责任推给买家（“您自己”“买家原因”）会显得推卸责任。解释应先承认不足，再说明改进。",
        re.compile(
            r"您自己|你自己|是您没|是你没|买家原因|买家自身|个人原因造成|不是我们的问题|不是我们的责任"
            r"|与我们无关|与本店无关|跟我们没关系|和我们没关系|您没有仔细|你没有仔细|没看清楚|没有看清"
            r"|操作不当|使用不当|是您的问题|是你的问题"
        ),
    ),
    _PatternRule(
        "arguing",
        "与买家争辩、给买家定性（如“恶意差评”）会激化矛盾，也让旁观者反感。请陈述事实和诚意，"
        "不要争对错。",
        re.compile(
            r"明明|根本不是|根本没有|根本就|事实是|事实上|恶意差评|职业差评|差评师|敲诈|勒索|造谣|污蔑"
            r"|诬陷|胡说|乱说|胡编|讹人|说谎|撒谎"
        ),
    ),
)

_PHONE = re.compile(r"(?<!\d)1[3-9]\d(?:[\s-]?\d){8}(?!\d)")
_ADDRESS = re.compile(
    r"[\u4e00-\u9fff]{2,8}(?:省|自治区)[\u4e00-\u9fff]{2,8}市"
    r"|[\u4e00-\u9fff]{2}(?:市|区|县)[\u4e00-\u9fff]{1,12}(?:路|街|道|巷|弄)\d+号"
    r"|[\u4e00-\u9fff]{2,12}(?:小区|花园|公寓|大厦)\d*(?:栋|幢|号楼|单元)"
    r"|\d+(?:栋|幢|号楼)\d+单元|\d+单元\d+室"
)
_RECEIVER = re.compile(r"(?:收货人|收件人|签收人)[:：\s]*[\u4e00-\u9fff]{2,4}")
_ORDER_NUMBER = re.compile(r"(?<!\d)\d{15,19}(?!\d)")
_APOLOGY = re.compile(r"抱歉|对不起|不好意思|歉意|致歉|道歉|见谅|sorry", re.IGNORECASE)


def check_tone(text: str, *, known_personal: Iterable[str] = ()) -> list[ToneFinding]:
    """Findings in a stable order. `known_personal`: this buyer's phone, address, real name."""
    findings: list[ToneFinding] = []
    for rule in _RULES:
        for match in rule.pattern.finditer(text):
            findings.append(ToneFinding(rule.rule, rule.message, match.group(0), rule.severity))
    personal = "解释会公开展示，不能出现买家的手机号、地址或姓名。请删除这些信息。"
    for pattern in (_PHONE, _ADDRESS, _RECEIVER):
        for match in pattern.finditer(text):
            findings.append(ToneFinding("personal_data", personal, match.group(0), "error"))
    for raw in known_personal:
        value = raw.strip()
        if len(value) >= 2 and value in text:
            already = any(value in f.evidence for f in findings if f.rule == "personal_data")
            if not already:
                findings.append(ToneFinding("personal_data", personal, value, "error"))
    for match in _ORDER_NUMBER.finditer(text):
        findings.append(
            ToneFinding(
                "order_number",
                "订单号不算个人信息，但对其他买家没有帮助，还常被冒充客服的骗子引用。建议删除。",
                match.group(0),
            )
        )
    if not _APOLOGY.search(text):
        findings.append(
            ToneFinding(
                "missing_apology",
                "没有致歉。无论原因在谁，先为买家不愉快的体验道歉（抱歉、对不起、深表歉意）。",
            )
        )
    if len(text) > MAX_EXPLANATION_CHARS:
        findings.append(
            ToneFinding(
                "too_long",
                f"共 {len(text)} 字，超过平台上限 {MAX_EXPLANATION_CHARS} 字（PLATFORM §4.2），"
                "发布会失败。请精简。",
                severity="error",
            )
        )
    return findings


def has_errors(findings: Iterable[ToneFinding]) -> bool:
    return any(f.severity == "error" for f in findings)
