"""Compliance check for every outgoing text: blocks review inducement (DOMAIN "compliance" section).

A transparent rule engine, pure and Django-free. Each rule has an id, a name, the rule it enforces
and regexes over a normalised copy of the text; a finding carries the evidence span in the
original text, so the agent sees exactly which words broke which rule.

Normalisation defeats the usual evasions: NFKC folds full-width characters
(ＨＰ返现５元), case is folded, and every character that is neither a letter nor a
digit (spaces, punctuation, emoji) is dropped, so "好 评 返 现", "好。评。返。现"
and "好⭐评返现" read as "好评返现". Pinyin, abbreviations and homophones (hp,
haoping, 号评, 郝评) are alternatives inside the patterns.

Negated statements pass: "我们不会要求您修改评价", "本店不做好评返现",
"补偿与评价无关". The negation must sit immediately before the matched words
(allowing 您/亲), so "不会让您吃亏，好评返现" is still blocked.

Sending the how-to for revising is allowed only with the context flag
`buyer_offered_revise` (the buyer offered of their own accord, DOMAIN R5 as
amended), and even then only the revision-request rule is waived, never the reward rules.

docs/compliance.md lists the rules, the sources and the labelled test phrasings.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

TAOBAO_RULES = "《淘宝网评价规范》（2021-12-28 变更）"
AUCL = "《反不正当竞争法》第八条（虚假或引人误解的商业宣传，含“好评返现”处罚先例）"


@dataclass(frozen=True, slots=True)
class Rule:
    id: str
    name: str
    source: str
    explanation: str
    patterns: tuple[re.Pattern[str], ...]
    # The buyer offered to revise on their own: the how-to they asked for may be sent (R5 amended).
    waived_when_buyer_offered: bool = False
    # Sentence-level statements that make a match harmless ("补偿与评价无关").
    disclaimers: tuple[re.Pattern[str], ...] = ()


@dataclass(frozen=True, slots=True)
class Finding:
    rule_id: str
    rule_name: str
    source: str
    explanation: str
    evidence: str
    start: int  # offsets into the original text
    end: int

    def as_dict(self) -> dict[str, object]:
        return {
            "rule": self.rule_id,
            "name": self.rule_name,
            "source": self.source,
            "explanation": self.explanation,
            "evidence": self.evidence,
            "start": self.start,
            "end": self.end,
        }


@dataclass(frozen=True, slots=True)
class ComplianceResult:
    text: str
    findings: tuple[Finding, ...] = field(default_factory=tuple)

    @property
    def blocked(self) -> bool:
        return bool(self.findings)

    def summary(self) -> str:
        """One line per finding, in Chinese, for error messages and the CLI."""
        return "；".join(f"{f.rule_name}（{f.rule_id}）：“{f.evidence}”" for f in self.findings)

    def as_dict(self) -> dict[str, object]:
        return {
            "text": self.text,
            "blocked": self.blocked,
            "findings": [f.as_dict() for f in self.findings],
        }


@dataclass(frozen=True, slots=True)
class CheckContext:
    buyer_offered_revise: bool = False


# --- vocabulary (over normalised text: no spaces, no punctuation, lower case, half width) ------
_CN_NUM = "[一二三四五六七八九十两百]"
# A positive review or an act of reviewing that is typically paid for.
_GOOD = (
    r"(?:全?(?:五|5)(?:颗)?星(?:好评)?|好评|好坪|好平|号评|郝评|hp|haoping|hao评|好ping|满分评价"
    r"|晒图(?:评价|好评)?|带图(?:评价|好评)|(?:好评|评价)截图|截图评价)"
)
# Reviewing acts that only count when the reward follows at once ("追评返", "评价后返现").
_TIGHT = r"(?:追评|追加评价|追加评论|评价(?:完成)?(?:后|完|即|就|可|再|截图|晒图))"
_REWARD = (
    r"(?:返现|返钱|返利|返款|返红包|返券|返(?![回厂修程还])|红包|现金|免单|优惠券|代金券|礼品|礼物"
    rf"|小礼|赠品|赠送|送(?![货达到件出回])|领(?:取)?|奖励|有礼|有奖|有惊喜|抽奖|补贴|佣金|打款|免运费|包邮"
    rf"|\d+(?:元|块)|x元|{_CN_NUM}+(?:元|块))"
)
# Money for the problem becomes inducement when it follows a review ("好评后给您退款").
_REWARD_AFTER = rf"(?:{_REWARD}|退款|退钱|退\d|补偿|赔偿)"
_REWARD_BEFORE = (
    r"(?:返现|红包|现金|免单|礼品|礼物|小礼|赠品|优惠券|补偿|退款|运费|包邮|\d+(?:元|块)|"
    rf"{_CN_NUM}+(?:元|块))"
)
_CONDITION = r"(?:换|换取|作为|条件|前提|只要|麻烦|请|帮忙|帮|给个|给我们|记得|希望|期待|求)"
_REVIEW_NOUN = r"(?:差评|中评|中差评|评价|评论)"

_REVISE = (
    r"(?:删评|撤评|改评"
    rf"|删(?:除|掉|了)?(?:一下|下)?(?:这条|这个)?{_REVIEW_NOUN}"
    rf"|撤(?:销|回|掉)(?:一下|下)?{_REVIEW_NOUN}"
    rf"|(?:修改|更改|改)(?:一下|下)?{_REVIEW_NOUN}"
    r"|(?:改|换|修改|更改)(?:成|为)(?:好评|五星|5星|满分)"
    r"|改(?:个)?好评|追加(?:一个|个)?好评|追个好评|补(?:个|一个)好评|追评(?:夸|好评)"
    rf"|把(?:这个|这条)?{_REVIEW_NOUN}(?:给)?(?:改|删|撤|去掉|换)"
    rf"|{_REVIEW_NOUN}(?:能不能|可不可以|可以|能否|麻烦|帮忙)?(?:修改|更改|改|删|撤|去掉)(?:掉|了|一下|下|成|为|吗|呀)"
    rf"|去掉{_REVIEW_NOUN})"
)
_SOLICIT = (
    r"(?:(?:给|打|留|写|点|来)(?:个|一个|下|一下)?(?:我们|咱们|小店|本店)?(?:个|一个)?全?(?:好评|五星|5星|hp)"
    r"|求(?:个|一个)?(?:好评|五星|5星)"
    r"|(?:麻烦|帮忙|记得|别忘了|别忘记|期待|希望|请)(?:您|亲|你)?(?:的|能|给|帮|帮忙)*(?:我们|小店)?"
    r"(?:个|一个)?全?(?:好评|五星|5星|hp)"
    r"|全(?:五|5)星|(?:好评|五星)哦"
    r"|(?:不要|别|千万别|请勿|请不要|不能|不许)(?:给|打|留|点)?(?:我们)?(?:差评|中评|中差评))"
)

# Negation immediately before the match (allowing "您/亲"): the sentence states the opposite.
_NEGATED = re.compile(
    r"(?:不会|不用|无需|不需要|不必|绝不会?|从不|并不会?|没有|不强求|不会再|不做|不搞|拒绝|禁止|严禁"
    r"|不参与|不提供|不存在|杜绝|感谢|谢谢|多谢)"
    r"(?:要求|强求|让|请|麻烦|催促?|逼|引导|诱导|因为|为了)?(?:您|你|亲|买家|顾客)?(?:去|来|给)?$"
)
_UNRELATED = (
    re.compile(
        r"(?:与|和|跟)(?:您的?)?(?:评价|评论|好评|差评)(?:无关|没有关系|没关系|不挂钩|无任何关系)"
    ),
    re.compile(r"(?:无论|不论|不管)(?:您|你|亲)?(?:是否|怎么|如何|给不给|评不评|给什么)"),
)


def _rx(*patterns: str) -> tuple[re.Pattern[str], ...]:
    return tuple(re.compile(p) for p in patterns)


RULES: tuple[Rule, ...] = (
    Rule(
        id="CR1",
        name="好评返现（以利益换取评价）",
        source=f"{TAOBAO_RULES}；{AUCL}",
        explanation=(
            "把返现、红包、优惠券、礼品、免单或退款与好评、晒图、追评挂钩，属于平台明令禁止的"
            "“好评返现”类诱导评价。补偿只能针对问题本身，且不得提及评价。"
        ),
        patterns=_rx(
            rf"{_GOOD}.{{0,10}}?{_REWARD_AFTER}",
            rf"{_TIGHT}.{{0,2}}?{_REWARD}",
            rf"{_REWARD_BEFORE}.{{0,6}}?{_CONDITION}.{{0,4}}?{_GOOD}",
            rf"(?:返现|返红包|返券|返钱|返利|免单).{{0,12}}?{_GOOD}",
        ),
        disclaimers=_UNRELATED,
    ),
    Rule(
        id="CR2",
        name="要求修改、删除或追加评价",
        source=TAOBAO_RULES,
        explanation=(
            "卖家不得自行或通过第三方要求买家修改、删除评价或追加评价。只有买家主动提出修改时，"
            "才可以发送买家索要的操作说明。"
        ),
        patterns=_rx(_REVISE),
        waived_when_buyer_offered=True,
    ),
    Rule(
        id="CR3",
        name="索要好评或要求不给差评",
        source=TAOBAO_RULES,
        explanation=(
            "不得要求买家只能作出好评（“给个好评”“全五星”“不要给差评”）。"
            "处理完成后请询问买家是否满意，而不是索要评价。"
        ),
        patterns=_rx(_SOLICIT),
        disclaimers=_UNRELATED,
    ),
)
RULES_BY_ID = {rule.id: rule for rule in RULES}


def normalise(text: str) -> tuple[str, list[int]]:
    """The text folded for matching, and for each of its characters the index in `text`."""
    chars: list[str] = []
    index: list[int] = []
    for position, raw in enumerate(text):
        for ch in unicodedata.normalize("NFKC", raw).lower():
            if ch.isalnum():
                chars.append(ch)
                index.append(position)
    return "".join(chars), index


_SENTENCE_END = re.compile(r"[。！？!?；;\n]")


def _sentence_of(text: str, position: int) -> str:
    start = 0
    for match in _SENTENCE_END.finditer(text):
        if match.end() <= position:
            start = match.end()
        else:
            return text[start : match.end()]
    return text[start:]


def check(text: str, context: CheckContext | None = None) -> ComplianceResult:
    """Every rule over `text`; blocked when any finding remains. Pure and deterministic."""
    context = context or CheckContext()
    folded, index = normalise(text)
    findings: list[Finding] = []
    for rule in RULES:
        if rule.waived_when_buyer_offered and context.buyer_offered_revise:
            continue
        covered: list[tuple[int, int]] = []
        for pattern in rule.patterns:
            for match in pattern.finditer(folded):
                start, end = match.start(), match.end()
                if any(s <= start < e for s, e in covered):
                    continue
                if _NEGATED.search(folded[max(0, start - 12) : start]):
                    continue
                original_start, original_end = index[start], index[end - 1] + 1
                if rule.disclaimers:
                    sentence, _ = normalise(_sentence_of(text, original_start))
                    if any(d.search(sentence) for d in rule.disclaimers):
                        continue
                covered.append((start, end))
                findings.append(
                    Finding(
                        rule_id=rule.id,
                        rule_name=rule.name,
                        source=rule.source,
                        explanation=rule.explanation,
                        evidence=text[original_start:original_end],
                        start=original_start,
                        end=original_end,
                    )
                )
    findings.sort(key=lambda f: (f.start, f.rule_id))
    return ComplianceResult(text=text, findings=tuple(findings))


def is_blocked(text: str, context: CheckContext | None = None) -> bool:
    return check(text, context).blocked
