"""Review texts in natural Chinese, composed from phrase banks per cause and per kind of product.

A text is opener + one or two details + an emotion or consequence + an ending, so one cause gives
hundreds of different sentences instead of one fixed line. Causes are those of DOMAIN.md and the
labelling guideline (shared/data/CAUSE_GUIDELINE.md), so triage can be measured on the demo.
All functions take the caller's seeded `random.Random`: same seed, same text.
"""

from __future__ import annotations

import random
import re
from collections.abc import Sequence
from dataclasses import dataclass

from reviewdesk.platforms.simulator.catalog import Product

CAUSES: tuple[str, ...] = (
    "quality",
    "not_as_described",
    "size_fit",
    "dislike_style",
    "wrong_or_missing",
    "logistics",
    "service",
    "price",
    "fake_goods",
)
DEFAULT_REVIEW_TEXT = "评价方未及时做出评价,系统默认好评!"  # PLATFORM §9.1 L3 (R14)


@dataclass(frozen=True, slots=True)
class Facts:
    """What a sentence may refer to; every value is consistent with the order it describes."""

    product: Product
    color: str
    size: str
    other_color: str
    other_size: str
    days: int  # days from payment to receipt
    hub: str  # courier hub where a parcel got stuck
    drop: int  # yuan the price dropped after purchase
    # Where a slow order lost its time ("shipping" | "transit" | ""): a logistics complaint names
    # only what happened (no hub stall for a parcel that was shipped late, and the reverse).
    delay: str = ""

    def fill(self, template: str) -> str:
        return template.format(
            noun=self.product.kind.noun,
            material=self.product.kind.material,
            color=self.color,
            size=self.size,
            other_color=self.other_color,
            other_size=self.other_size,
            days=self.days,
            hub=self.hub,
            drop=self.drop,
        )


HUBS = ("杭州", "义乌", "金华", "上海", "南京", "郑州", "武汉", "广州", "成都", "济南")

_QUALITY: dict[str, tuple[str, ...]] = {
    "scarf": (
        "掉毛特别严重，戴一次大衣上全是毛",
        "戴着扎脖子，痒得受不了",
        "才戴了两天就起球了",
        "边上的流苏掉了好几根",
        "有一股很重的化学味，洗了两遍还在",
    ),
    "gloves": (
        "大拇指那里开线了",
        "一点都不保暖，骑车手还是冻僵",
        "触屏根本不灵，点半天没反应",
        "里面的绒一洗就结团了",
    ),
    "hat": (
        "戴了一会儿就起球",
        "里面的线头扎头皮",
        "洗了一次就松松垮垮的",
        "毛线一拉就抽丝",
    ),
    "socks": (
        "穿一天脚后跟就破洞了",
        "袜口松紧太差，一直往下掉",
        "洗一次缩得跟童袜一样",
        "掉色，脚底都染色了",
    ),
    "pajamas": (
        "洗了一次就起球了",
        "扣子才穿两天就掉了一颗",
        "裤裆那里开线了",
        "掉毛严重，睡一晚被窝里全是毛",
        "洗完缩水，袖子短了一截",
    ),
    "slippers": (
        "穿了一周就开胶了",
        "鞋底很滑，在卫生间差点摔一跤",
        "一股很冲的塑料味，放阳台散了几天还有",
        "鞋面的毛一碰就掉",
    ),
    "blanket": (
        "掉毛掉得满床都是",
        "静电特别大，一摸就电",
        "洗了一次就板结发硬了",
        "边上的锁边开了",
    ),
    "bedding": (
        "洗一次缩水很严重，被子都塞不进被套",
        "第一次洗就掉色，把白床垫都染了",
        "布料很薄，对着灯都透光",
        "线头特别多，剪了半个小时",
        "有一股刺鼻的味道",
    ),
    "quilt": (
        "里面的棉结成一坨一坨的",
        "有股很冲的味道，盖着睡头疼",
        "钻绒厉害，睡一晚身上都是绒毛",
        "一点都不暖和，半夜冻醒",
    ),
    "pillow": (
        "睡了几天就塌了",
        "枕芯结块，硌得脖子疼",
        "味道很大，熏得睡不着",
        "枕套拉链坏了",
    ),
    "towel": (
        "掉毛，擦完脸满脸都是毛",
        "一点都不吸水",
        "洗了两次就发硬了",
        "掉色严重，盆里的水都是颜色",
    ),
    "warmer": (
        "充电半小时只热十分钟",
        "用了三次就不热了",
        "充电的时候鼓包了，吓死人",
        "接口松动，充不进电",
    ),
    "cushion": (
        "拉链用了两次就坏了",
        "填充太少，扁扁的靠着不舒服",
        "套子起球严重",
        "有一股霉味",
    ),
}
_QUALITY_GENERIC = (
    "做工很粗糙，线头到处都是",
    "收到就发现有个地方开线了",
    "质量太差了，跟地摊货一样",
    "用了没几天就坏了",
)
_NOT_AS_DESCRIBED = (
    "颜色和图片差太多了，图上是{color}，收到的看着像{other_color}",
    "色差很大，跟详情页完全是两个颜色",
    "实物比图片小了一圈",
    "说是{material}的，摸着就是化纤",
    "详情页写的加厚，收到薄薄一层",
    "图片上看着很有质感，实物很廉价",
    "标签上写的成分和详情页不一样",
    "买家秀和卖家秀差距太大了",
    "{color}实物发暗，跟图片那种颜色差远了",
    "宣传得那么好，实物根本不是那么回事",
)
_SIZE: dict[str, tuple[str, ...]] = {
    "pajamas": (
        "按尺码表买的{size}，穿上袖子短了一截",
        "偏小一码，肩膀那里很紧",
        "裤子太长了，拖地",
        "{size}大得像麻袋，完全不合身",
    ),
    "slippers": (
        "平时穿{size}的，这个挤脚",
        "码数偏大，走路老掉鞋",
        "鞋子偏小，脚后跟露在外面",
    ),
    "hat": ("帽子太紧，戴一会儿就勒得头疼", "太大了，一直往下滑挡眼睛"),
    "gloves": ("手套太小，手指都伸不到底", "{size}码也太大了，手指头空一截"),
}
_SIZE_GENERIC = ("尺码不标准，跟尺码表对不上", "按平时的码买的，完全穿不了")
_DISLIKE = (
    "颜色有点老气，不适合年轻人",
    "款式一般，没有想象中好看",
    "上身效果不好，显胖",
    "手感一般，不是我喜欢的感觉",
    "图案有点土",
    "一般般吧，没什么特别的",
    "没有图片上那种高级感，不太喜欢",
    "{color}太暗了，放家里显得很沉闷",
    "实物有点普通，感觉不值得推荐",
)
_WRONG: dict[str, tuple[str, ...]] = {
    "bedding": ("包装里少了一个枕套",),
    "socks": ("说好的几双装，少发了一双",),
    "quilt": ("标的十斤，称了一下才八斤多",),
    "pillow": ("买的一对，只收到一个",),
}
_WRONG_GENERIC = (
    "买的{color}，发来的是{other_color}",
    "说好的赠品没有收到",
    "发错货了，根本不是我买的这款",
    "拍了两件只收到一件",
)
_WRONG_SIZED = ("拍的{size}，收到的是{other_size}",)
# Each logistics detail with what it says happened to the parcel (`logistics_complaint`): slow,
# shipped late, stalled at a hub, signed where the buyer did not get it (a locker or station,
# someone else), or damaged. The demo's parcels show what the review says (logistics.py).
_LOGISTICS_KINDS: tuple[tuple[str, str], ...] = (
    ("物流太慢了，{days}天才到", "slow"),
    ("下单一个礼拜才发货", "shipped_late"),
    ("等了快半个月才收到", "slow"),
    ("说好48小时发货，第四天才发", "shipped_late"),
    ("物流信息在{hub}停了四天不动", "stalled"),
    ("快递一直显示运输中，好几天没更新", "stalled"),
    ("包裹在{hub}转运中心卡了一个星期", "stalled"),
    ("显示已签收，可是我根本没收到", "not_received"),
    ("快递放驿站也不通知我，还显示本人签收", "station"),
    ("被别人代签了，找了好久才找到", "signed_by_other"),
    ("外包装破了个大洞，东西都弄脏了", "damaged"),
)
_SERVICE = (
    "问客服问题半天不回",
    "客服态度很差，问两句就不耐烦",
    "申请退货客服一直拖着不处理",
    "答应给我退运费，到现在也没退",
    "客服说会给我换货，然后就没下文了",
    "售后根本找不到人",
    "客服就会复制粘贴，问什么都答非所问",
    "催了三次发货，客服一句抱歉都没有",
)
_PRICE = (
    "刚买完就降价{drop}块，找客服也不给补差价",
    "同样的东西别家便宜一半",
    "这个价格买这个质量，不值",
    "活动价比我买的时候便宜了{drop}块，太坑了",
    "性价比太低了，不值这个钱",
)
_FAKE = (
    "说是正品{material}，吊牌都是假的",
    "感觉像假货，和商场专柜买的完全不一样",
    "标着{material}，烧了一下明显是化纤，假货",
    "包装很劣质，不像正品",
    "怀疑是别人退回来的二手货，有用过的痕迹",
    "这是假货吧，跟我之前买的正品差太多",
)

_NEUTRAL_OPENERS = (
    "",
    "",
    "收到了，",
    "总体还行，但是",
    "一般吧，",
    "东西收到了，说实话有点失望，",
    "给个中评吧，",
    "怎么说呢，",
    "第二次买了，这次",
    "本来挺期待的，",
)
_BAD_OPENERS = (
    "",
    "",
    "非常失望！",
    "差评！",
    "第一次在这家买东西，",
    "真的无语了，",
    "买之前看评价挺好的，",
    "气死了，",
    "太差劲了，",
    "千万别买！",
)
_NEUTRAL_TAILS = (
    "",
    "",
    "有点失望",
    "希望改进一下",
    "将就用吧",
    "不太满意",
    "跟预期差了一点",
    "就当买个教训",
    "看在价格的份上给个中评",
)
_BAD_TAILS = (
    "本来想送人的，现在拿不出手",
    "退货还得自己出运费",
    "浪费钱",
    "心情都不好了",
    "真的很失望",
    "再也不会来了",
    "大家慎重",
    "不推荐购买",
    "希望商家重视一下",
    "第一次给差评",
    "以后不会再买了",
    "一星都不想给",
)
_SOFTENERS = ("物流倒是挺快的", "包装还可以", "客服态度还行", "价格是便宜")
_ENDINGS = ("。", "！", "", "…", "！！")

_GOOD: dict[str, tuple[str, ...]] = {
    "scarf": ("围巾很软很暖和", "颜色很正，戴上显气色", "一点都不扎脖子", "很厚实，手感很好"),
    "gloves": ("手套很暖和，骑车不冻手了", "触屏很灵敏", "大小刚好，做工也细"),
    "hat": ("帽子很保暖，护耳很实用", "戴上很显脸小", "毛线很软不扎头"),
    "socks": ("袜子很厚实，穿着很暖和", "很舒服，不勒脚", "洗了几次也没起球"),
    "pajamas": (
        "睡衣很软很舒服",
        "很厚实，冬天穿刚好",
        "尺码标准，按尺码表买的刚好",
        "颜色很温柔，很好看",
    ),
    "slippers": ("拖鞋很软，踩着像踩在棉花上", "防滑效果不错", "很保暖，码数正好"),
    "blanket": ("毯子很软很亲肤", "一点都不掉毛", "很厚实，盖着很暖和", "颜色好看，放沙发上很搭"),
    "bedding": (
        "四件套洗了也不掉色",
        "布料很舒服，睡着很亲肤",
        "颜色高级，跟图片一样",
        "没有异味，做工细致",
    ),
    "quilt": ("被子很蓬松很暖和", "没有异味，很舒服", "分量很足，盖着很踏实"),
    "pillow": ("枕头软硬适中，睡着很舒服", "颈椎舒服多了", "回弹很好，没有味道"),
    "towel": ("毛巾很吸水，很柔软", "不掉毛，洗了几次还是很软", "很厚实，手感好"),
    "warmer": ("暖手宝很热，能热好几个小时", "充电很快，小巧可爱", "送给妈妈的，她很喜欢"),
    "cushion": ("抱枕很软很舒服", "颜色好看，跟沙发很配", "做工不错，靠着很舒服"),
}
_GOOD_GENERIC = (
    "质量很好",
    "做工不错",
    "跟图片一样，没有色差",
    "物流很快，两天就到了",
    "客服很耐心",
    "包装很用心",
    "性价比很高",
    "第二次买了，一如既往的好",
    "买给家人的，都说好",
    "价格实惠，质量也不错",
)
_GOOD_OPENERS = ("", "", "", "东西收到了，", "很满意，", "超级喜欢！", "第一次买这家，")
_GOOD_ENDINGS = ("", "", "好评！", "推荐购买", "会回购的", "满意", "五星好评", "下次还来", "赞！")
_SHORT_GOOD = (
    "好评",
    "不错",
    "很好",
    "满意",
    "挺好的",
    "宝贝收到了，很满意",
    "还不错，好评",
    "质量很好，推荐",
)
# DOMAIN R1/R15: a good review can still carry a complaint worth a look.
_HIDDEN_COMPLAINTS = (
    ("logistics", "就是物流太慢了"),
    ("logistics", "就是快递太慢了，等了{days}天"),
    ("logistics", "就是包装有点破"),
    ("not_as_described", "就是有点色差"),
    ("quality", "就是有点掉毛"),
    ("quality", "就是有点味道，晾几天应该就好了"),
    ("service", "就是客服回复有点慢"),
)
_HIDDEN_LOGISTICS_KINDS = {
    "就是物流太慢了": "slow",
    "就是快递太慢了，等了{days}天": "slow",
    "就是包装有点破": "damaged",
}
_HIDDEN_PRAISE = ("质量不错", "东西挺好的", "{noun}很暖和", "总体满意", "东西还可以", "做工可以")
# 003 §2: professional bad reviewers extort; these are flagged, not negotiated with.
_THREATS = (
    "不退50块我就一直差评",
    "再不处理就打12315投诉",
    "给我赔100块，不然每个宝贝都给你差评",
    "已经截图了，不给个说法就去工商局投诉你们",
    "商家不给补偿我就去小红书曝光",
    "不给我全额退款我就天天来差评",
    "三天内不赔偿就投诉到平台，别怪我没提醒",
)
_FOLLOWUP_BAD = (
    "联系客服三天了也没人理",
    "后来又用了几次，问题更严重了",
    "申请退货被拒了，坚决差评",
    "到现在都没有人联系我",
    "商家打电话来就一直推卸责任",
    "用了一周，更差了",
)
_FOLLOWUP_GOOD = (
    "用了一个月了，还是很好",
    "洗了几次，没有起球也没有掉色",
    "又回购了两件，家里人都喜欢",
    "用了一段时间，真心不错",
    "冬天全靠它了，好评",
)
_REVISIONS = (
    "客服主动联系我给换了新的，态度很好，问题解决了",
    "商家处理很及时，补发了，满意",
    "之前有点误会，沟通之后问题解决了，东西其实挺好",
    "商家很负责，给退了差价",
    "售后很给力，退换很方便",
    "换货收到了，这次没问题了，{noun}很好",
)
# DOMAIN rule 4 / R14 (seed 004): terms agreed, return address never sent, every item rated bad.
_ANGRY_ALL_ITEMS = (
    "客服说好给我发退货地址，然后人就不见了，等了两天没人理",
    "为了两块钱运费跟我扯了半天，最后还是没解决",
    "一起买了七样东西，售后这个态度，每样都给差评",
    "答应的事情做不到，客服下线就不管了",
    "东西本身还行，但是处理问题的态度让人寒心",
    "以后再也不来了，大家看清楚这家的售后",
)


def _usable(templates: Sequence[str], facts: Facts) -> list[str]:
    if facts.size:
        return list(templates)
    return [t for t in templates if "size}" not in t]


def _pick(rng: random.Random, templates: Sequence[str], facts: Facts) -> str:
    return facts.fill(rng.choice(_usable(templates, facts)))


def _template_pattern(template: str) -> re.Pattern[str]:
    escaped = re.escape(template)
    hubs = "|".join(HUBS)
    escaped = escaped.replace(re.escape("{days}"), r"\d+").replace(
        re.escape("{hub}"), f"(?P<hub>{hubs})"
    )
    return re.compile(escaped)


_COMPLAINT_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (_template_pattern(template), kind)
    for template, kind in (*_LOGISTICS_KINDS, *_HIDDEN_LOGISTICS_KINDS.items())
)


@dataclass(frozen=True, slots=True)
class LogisticsComplaint:
    """What a review says happened to the parcel: kinds (see `_LOGISTICS_KINDS`) and the hub
    it names, if any."""

    kinds: frozenset[str]
    hub: str = ""


def logistics_complaint(content: str) -> LogisticsComplaint:
    """Read back the logistics details a text was composed from (empty kinds: none)."""
    kinds: set[str] = set()
    hub = ""
    for pattern, kind in _COMPLAINT_PATTERNS:
        found = pattern.search(content)
        if found is None:
            continue
        kinds.add(kind)
        hub = hub or (found.groupdict().get("hub") or "")
    return LogisticsComplaint(frozenset(kinds), hub)


_NOT_WITH_DELAY = {"shipping": "stalled", "transit": "shipped_late"}


def _logistics_details(delay: str) -> tuple[str, ...]:
    untrue = _NOT_WITH_DELAY.get(delay)
    return tuple(template for template, kind in _LOGISTICS_KINDS if kind != untrue)


def cause_details(cause: str, facts: Facts) -> list[str]:
    """Every detail sentence (unfilled) that can express `cause` for this product."""
    key = facts.product.kind.key
    by_cause: dict[str, tuple[str, ...]] = {
        "quality": (*_QUALITY.get(key, ()), *_QUALITY_GENERIC),
        "not_as_described": _NOT_AS_DESCRIBED,
        "size_fit": (*_SIZE.get(key, ()), *_SIZE_GENERIC),
        "dislike_style": _DISLIKE,
        "wrong_or_missing": (
            *_WRONG.get(key, ()),
            *_WRONG_GENERIC,
            *(_WRONG_SIZED if facts.size else ()),
        ),
        "logistics": _logistics_details(facts.delay),
        "service": _SERVICE,
        "price": _PRICE,
        "fake_goods": _FAKE,
    }
    try:
        return list(by_cause[cause])
    except KeyError:
        raise ValueError(f"unknown cause {cause!r}") from None


def negative_text(rng: random.Random, facts: Facts, *, cause: str, result: str) -> str:
    """A neutral or bad review for `cause`: opener, one or two details, feeling, ending."""
    bad = result == "bad"
    details = _usable(cause_details(cause, facts), facts)
    first = rng.choice(details)
    parts = [facts.fill(first)]
    if len(details) > 1 and rng.random() < 0.3:
        parts.append(facts.fill(rng.choice([d for d in details if d != first])))
    if not bad and rng.random() < 0.25:
        parts.insert(0, rng.choice(_SOFTENERS) + "，但是")
        opener = ""
    else:
        opener = rng.choice(_BAD_OPENERS if bad else _NEUTRAL_OPENERS)
    tail = rng.choice(_BAD_TAILS if bad else _NEUTRAL_TAILS)
    body = "，".join(parts).replace("但是，", "但是")
    text = opener + body + ("，" + tail if tail else "")
    return text + rng.choice(_ENDINGS)


def good_text(rng: random.Random, facts: Facts) -> str:
    """A 好评: often a few praising clauses, sometimes a word, sometimes nothing at all."""
    roll = rng.random()
    if roll < 0.08:
        return ""  # shown as 此用户没有填写评价
    if roll < 0.25:
        return rng.choice(_SHORT_GOOD)
    own = list(_GOOD.get(facts.product.kind.key, ()))
    pool = [*rng.sample(own, k=min(len(own), rng.choice((1, 1, 2)))), *_GOOD_GENERIC]
    count = rng.choice((1, 2, 2, 3))
    clauses = [pool[0], *rng.sample(pool[1:], k=count - 1)] if count > 1 else [pool[0]]
    ending = rng.choice(_GOOD_ENDINGS)
    text = rng.choice(_GOOD_OPENERS) + "，".join(clauses)
    return text + ("，" + ending if ending else rng.choice(("。", "！", "")))


def hidden_complaint_text(rng: random.Random, facts: Facts) -> tuple[str, str]:
    """A 好评 that still complains ("质量不错，就是物流太慢了"). Returns (text, cause)."""
    cause, complaint = rng.choice(_HIDDEN_COMPLAINTS)
    praise = facts.fill(rng.choice(_HIDDEN_PRAISE))
    return f"{praise}，{facts.fill(complaint)}" + rng.choice(("", "。", "！")), cause


def threat_text(rng: random.Random, facts: Facts, *, cause: str) -> str:
    """An extortion or complaint threat after a short pretext about `cause`."""
    pretext = _pick(rng, cause_details(cause, facts), facts)
    threat = rng.choice(_THREATS)
    return f"{pretext}，{threat}" + rng.choice(("！", "！！", "。"))


def followup_text(rng: random.Random, facts: Facts, *, negative: bool) -> str:
    return facts.fill(rng.choice(_FOLLOWUP_BAD if negative else _FOLLOWUP_GOOD))


def revision_text(rng: random.Random, facts: Facts) -> str:
    return facts.fill(rng.choice(_REVISIONS)) + rng.choice(("", "。", "，好评！"))


def angry_item_text(index: int, facts: Facts) -> str:
    """The n-th item's text of the one buyer who rates every item of a 7-item order bad."""
    line = _ANGRY_ALL_ITEMS[index % len(_ANGRY_ALL_ITEMS)]
    if facts.product.is_gift:
        return "赠品也差评，和你们的服务一样敷衍！"
    return line + "！"
