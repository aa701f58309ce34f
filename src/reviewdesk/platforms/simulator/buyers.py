"""Buyers of the simulated shop: Taobao-style masked nicks and stable receiver contacts."""

from __future__ import annotations

import math

from reviewdesk.platforms.simulator.world import rng_for

_NICK_FIRST = tuple("tjlxzwsyhcmqabdfgknpr") + tuple(
    "小大爱快甜木阿喵胖林王张陈李刘杨黄赵周吴徐孙马朱胡郭何高罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘"
    "于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史"
)
_NICK_LAST = tuple("0123456789abcdefghkmnpqrstwxyz") + tuple(
    "猫鱼子儿宝妈哥姐酱呀了啦熊兔橙糖米豆云风雪月星花叶心乐安欢甜"
    "琪琳婷娜瑶萱怡涵阳辉杰浩宇轩睿博文斌晨东南北西春夏秋冬"
)
_NICK_COMBOS = len(_NICK_FIRST) * len(_NICK_LAST) * 2
_NICK_MULT = next(m for m in range(7919, 10**6) if math.gcd(m, _NICK_COMBOS) == 1)


def buyer_nick(seed: int, buyer_index: int) -> str:
    """Taobao shows buyers masked: first char, stars, last char (t**8, 小***猫). A bijection of
    the buyer index, so distinct buyers keep distinct nicks up to ~14,000 buyers."""
    x = (buyer_index * _NICK_MULT + seed) % _NICK_COMBOS
    first = _NICK_FIRST[x % len(_NICK_FIRST)]
    last = _NICK_LAST[(x // len(_NICK_FIRST)) % len(_NICK_LAST)]
    stars = 2 + (x // (len(_NICK_FIRST) * len(_NICK_LAST))) % 2
    return f"{first}{'*' * stars}{last}"


_SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
_GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚英华玉兰"
_REGIONS = (
    ("浙江省", "杭州市", ("西湖区", "余杭区", "滨江区")),
    ("江苏省", "南京市", ("鼓楼区", "江宁区")),
    ("广东省", "广州市", ("天河区", "海珠区")),
    ("上海", "上海市", ("浦东新区", "闵行区")),
    ("北京", "北京市", ("朝阳区", "海淀区")),
    ("四川省", "成都市", ("武侯区", "锦江区")),
    ("湖北省", "武汉市", ("洪山区", "江汉区")),
    ("山东省", "济南市", ("历下区", "市中区")),
    ("河南省", "郑州市", ("金水区", "二七区")),
    ("福建省", "厦门市", ("思明区", "湖里区")),
)
_STREETS = ("文一西路", "人民路", "中山路", "解放路", "建设路", "和平街", "幸福路", "学府路")
_PHONE_PREFIXES = ("138", "139", "158", "159", "186", "187", "188", "135", "136", "150", "182")


def buyer_contact(seed: int, buyer_index: int) -> tuple[str, str, str]:
    """(receiver name, phone, address) of a buyer: stable across all their orders."""
    rng = rng_for(seed, "buyer", buyer_index)
    name = rng.choice(_SURNAMES) + "".join(rng.choices(_GIVEN, k=rng.choice((1, 2))))
    phone = rng.choice(_PHONE_PREFIXES) + f"{rng.randrange(10**8):08d}"
    province, city, districts = rng.choice(_REGIONS)
    number, building, room = rng.randint(1, 399), rng.randint(1, 30), rng.randint(101, 2402)
    street = f"{rng.choice(_STREETS)}{number}号{building}幢{room}室"
    return name, phone, f"{province} {city} {rng.choice(districts)} {street}"
