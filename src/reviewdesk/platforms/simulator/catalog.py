"""The demo shop's products: a home-textile and winter-accessories store of 42 items.

Each product belongs to a `Kind`, which carries what reviews of that kind of product talk about
(texts.py composes the sentences). Prices are Decimal; num_iid are 12-digit ids like Taobao's.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True, slots=True)
class Kind:
    key: str
    noun: str  # what buyers call it: 围巾, 睡衣, 四件套
    material: str  # what the listing claims: 羊毛, 纯棉, 乳胶
    sizes: tuple[str, ...] = ()  # empty: the kind has no size, so no size_fit complaints
    wearable: bool = False  # sizes are body sizes (size_fit) rather than dimensions


@dataclass(frozen=True, slots=True)
class Product:
    num_iid: int
    title: str
    kind: Kind
    price: Decimal
    colors: tuple[str, ...]
    sizes: tuple[str, ...] = ()
    is_gift: bool = False


SCARF = Kind("scarf", "围巾", "羊毛")
GLOVES = Kind("gloves", "手套", "加绒", ("S", "M", "L"), wearable=True)
HAT = Kind("hat", "帽子", "羊毛", ("均码(54-58cm)",), wearable=True)
SOCKS = Kind("socks", "袜子", "纯棉")
PAJAMAS = Kind("pajamas", "睡衣", "珊瑚绒", ("M", "L", "XL", "XXL"), wearable=True)
SLIPPERS = Kind("slippers", "拖鞋", "毛绒", ("36-37", "38-39", "40-41", "42-43"), wearable=True)
BLANKET = Kind("blanket", "毛毯", "法兰绒", ("100x150cm", "150x200cm", "200x230cm"))
BEDDING = Kind("bedding", "四件套", "纯棉", ("1.5m床", "1.8m床", "2.0m床"))
QUILT = Kind("quilt", "被子", "棉花", ("150x200cm", "200x230cm", "220x240cm"))
PILLOW = Kind("pillow", "枕头", "乳胶")
TOWEL = Kind("towel", "毛巾", "长绒棉")
WARMER = Kind("warmer", "暖手宝", "防爆")
CUSHION = Kind("cushion", "抱枕", "棉麻", ("45x45cm", "50x50cm"))

_WARM = ("燕麦色", "驼色", "酒红色", "黑色", "雾霾蓝")
_SOFT = ("奶白色", "浅灰色", "樱花粉", "牛油果绿")
_BED = ("米白", "烟灰", "雾蓝", "豆沙粉", "墨绿")


def _p(index: int, title: str, kind: Kind, price: str, colors: tuple[str, ...]) -> Product:
    # Spread the 12-digit item ids like a real shop's: unrelated-looking, stable.
    num_iid = 689_012_345_678 + index * 104_729_113
    return Product(num_iid, title, kind, Decimal(price), colors, kind.sizes)


CATALOG: tuple[Product, ...] = (
    _p(0, "2026冬季加厚羊毛围巾女百搭保暖", SCARF, "129.00", _WARM),
    _p(1, "纯色仿羊绒围巾男女通用冬天保暖围脖", SCARF, "59.90", ("藏青", "深灰", "驼色", "酒红")),
    _p(2, "格子流苏大披肩围巾两用秋冬", SCARF, "79.00", ("红格", "灰格", "驼格")),
    _p(3, "儿童针织围巾男童女童冬季加绒", SCARF, "39.90", ("粉色", "藏青", "米黄")),
    _p(4, "真丝桑蚕丝小方巾女春秋百搭丝巾", SCARF, "139.00", ("碎花蓝", "复古红", "豆绿")),
    _p(5, "触屏加绒保暖手套女冬季骑车防风", GLOVES, "35.90", ("黑色", "酒红", "卡其")),
    _p(6, "男士羊皮手套冬季加厚加绒", GLOVES, "168.00", ("黑色", "咖啡色")),
    _p(7, "儿童五指连指手套挂脖防丢", GLOVES, "29.90", ("粉色", "蓝色", "黄色")),
    _p(8, "毛线帽女冬季针织护耳帽百搭", HAT, "49.00", ("奶白", "黑色", "焦糖色", "灰色")),
    _p(9, "加厚雷锋帽男冬季护耳骑车", HAT, "59.00", ("黑色", "军绿", "深灰")),
    _p(10, "渔夫帽女秋冬羊羔毛盆帽", HAT, "69.00", ("米白", "咖色", "黑色")),
    _p(11, "珊瑚绒地板袜女加厚睡眠袜5双装", SOCKS, "39.90", ("混色5双", "纯色5双")),
    _p(12, "男士纯棉中筒袜防臭吸汗10双装", SOCKS, "49.90", ("黑色10双", "混色10双")),
    _p(13, "羊毛袜女冬季加厚保暖长袜3双", SOCKS, "45.00", ("浅色3双", "深色3双")),
    _p(14, "珊瑚绒睡衣女冬季加厚加绒套装", PAJAMAS, "139.00", _SOFT),
    _p(15, "法兰绒情侣睡衣男款冬天家居服", PAJAMAS, "159.00", ("藏青格", "灰格", "咖啡格")),
    _p(16, "纯棉长袖睡衣女春秋款可外穿", PAJAMAS, "119.00", ("条纹蓝", "碎花粉", "纯白")),
    _p(17, "儿童法兰绒睡衣套装男童女童", PAJAMAS, "89.00", ("小熊粉", "恐龙蓝", "兔子黄")),
    _p(18, "夹棉加厚棉袄睡衣女冬季三层", PAJAMAS, "189.00", ("红色", "紫色", "蓝色")),
    _p(19, "棉拖鞋女冬季室内防滑厚底保暖", SLIPPERS, "29.90", ("米色", "粉色", "灰色")),
    _p(20, "包跟毛毛拖鞋居家月子鞋", SLIPPERS, "39.90", ("卡其", "粉色", "白色")),
    _p(21, "情侣居家拖鞋男士加厚软底", SLIPPERS, "35.00", ("深灰", "藏青", "咖色")),
    _p(22, "法兰绒毛毯加厚冬季沙发盖毯", BLANKET, "99.00", _SOFT),
    _p(23, "牛奶绒午睡毯办公室空调毯", BLANKET, "49.90", ("奶黄", "浅灰", "粉色")),
    _p(24, "A类羊羔绒毛毯双层加厚盖毯", BLANKET, "199.00", ("燕麦色", "咖色", "灰色")),
    _p(25, "纯棉四件套全棉床单被套1.8m床上用品", BEDDING, "299.00", _BED),
    _p(26, "加厚牛奶绒四件套冬季珊瑚绒", BEDDING, "229.00", ("奶咖", "灰粉", "浅蓝")),
    _p(27, "A类水洗棉床笠单件防滑床罩", BEDDING, "69.00", _BED),
    _p(28, "60支长绒棉贡缎四件套简约纯色", BEDDING, "499.00", ("香槟金", "银灰", "象牙白")),
    _p(29, "新疆长绒棉花被冬被加厚10斤", QUILT, "329.00", ("白色",)),
    _p(30, "白鹅绒羽绒被95绒冬季加厚", QUILT, "899.00", ("白色", "浅灰")),
    _p(31, "大豆纤维春秋被空调被可水洗", QUILT, "159.00", ("粉色", "蓝色", "米色")),
    _p(32, "泰国天然乳胶枕头护颈椎枕", PILLOW, "149.00", ("单只装", "一对装")),
    _p(33, "五星级酒店羽丝绒枕头一对装", PILLOW, "89.00", ("低枕一对", "中枕一对", "高枕一对")),
    _p(34, "荞麦壳枕头芯老人成人护颈", PILLOW, "69.00", ("单只装",)),
    _p(35, "新疆长绒棉毛巾洗脸家用4条装", TOWEL, "59.90", ("混色4条", "白色4条")),
    _p(36, "加大加厚纯棉浴巾成人吸水", TOWEL, "79.00", ("灰色", "米白", "蓝色")),
    _p(37, "珊瑚绒干发帽吸水速干包头巾", TOWEL, "19.90", ("粉色", "紫色", "蓝色")),
    _p(38, "充电暖手宝防爆热水袋注水", WARMER, "45.00", ("小熊", "兔子", "纯色")),
    _p(39, "USB暖宝宝随身便携充电款", WARMER, "59.00", ("白色", "粉色")),
    _p(40, "北欧ins风抱枕靠垫客厅沙发靠枕", CUSHION, "39.00", ("几何灰", "条纹黄", "纯色蓝")),
    _p(41, "毛绒加厚汽车腰靠护腰靠垫", CUSHION, "69.00", ("黑色", "米色")),
)

# Orders of 199 yuan or more get this gift; DOMAIN rule 4 (seed 004): an angry buyer rates it too.
GIFT = Product(
    num_iid=689_010_000_001,
    title="【赠品】加绒保暖袜一双",
    kind=SOCKS,
    price=Decimal("0.00"),
    colors=("随机色",),
    is_gift=True,
)
GIFT_THRESHOLD = Decimal("199.00")
