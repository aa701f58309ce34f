"""The compliance profile's vocabulary (DOMAIN "Rules that changed after the seeds"). Pure.

By default (strict, every Taobao/Tmall shop) no step asks the buyer to revise or delete a review and
nothing is offered for it. The seed practices the current rules forbid can be turned on per shop
only by an owner, who is shown the rule each one conflicts with; the choice is stored with who and
when. The case workflow reads `allows()`; nothing in cases/ generates a revision request unless
the profile allows it (and, as shipped, nothing does even then: the follow-up plan talks about the
buyer's problem, R8).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

RULE_2021 = "《淘宝网评价规范》2021-12-28 修订：卖家不得要求买家修改、删除评价或以利益换取好评"
RULE_AUCL = (
    "《反不正当竞争法》：好评返现等以利益诱导评价属虚假宣传（2022 年广州一店铺被罚 21 万元）"
)


@dataclass(frozen=True, slots=True)
class Practice:
    key: str
    label: str
    seed: str
    conflicts_with: tuple[str, ...]


PRACTICES: Mapping[str, Practice] = {
    p.key: p
    for p in (
        Practice(
            "solicit_revision",
            "请买家修改或删除中差评",
            "003 “帮我们把评价删除”",
            (RULE_2021,),
        ),
        Practice(
            "revision_reminder",
            "买家答应后催促修改评价的提醒",
            "003 R6 “您上次承诺帮助我们修改的评价…”",
            (RULE_2021,),
        ),
        Practice(
            "compensation_for_revision",
            "以补偿换取修改评价（一人退一步）",
            "003 “买家嫌补偿金额太少，不肯修改中差评”",
            (RULE_2021, RULE_AUCL),
        ),
    )
}


def conflicts_for(practice: str) -> tuple[str, ...]:
    if practice not in PRACTICES:
        raise KeyError(practice)
    return PRACTICES[practice].conflicts_with


def allows(allowed_entries: Iterable[Mapping[str, object]], practice: str) -> bool:
    """True only when the owner turned `practice` on; strict profiles hold no entries."""
    return any(entry.get("practice") == practice for entry in allowed_entries)


# Words that turn a message into a request about the review (checked on our own generated texts;
# the full outgoing-text check belongs to replies/compliance).
SOLICITATION_WORDS = ("修改评价", "删除评价", "改评", "追加好评", "好评返", "改成好评", "删评")


def solicits_revision(text: str) -> bool:
    return any(word in text for word in SOLICITATION_WORDS)
