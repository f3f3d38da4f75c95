"""Names of the demo city: communities, streets, people and phone numbers (Chinese data).

Everything is drawn from a `random.Random`, so one seed always gives the same city.
"""

import random

# Communities the source documents name (Liaocheng Water Group's newspaper).
REAL_COMMUNITIES = [
    "星光水晶城",
    "锦绣家园",
    "水岸新城",
    "东关国际",
    "光彩小区",
    "西湖馨苑",
    "望湖小区",
    "龙湾小区",
    "豆营小区",
]

STREETS = """
东昌路 柳园路 花园路 兴华路 建设路 湖南路 光岳路 卫育路 振兴路 利民路 东关街
古楼街 龙山路 向阳路 站前街 昌润路 黄河路 长江路 松桂路 嵩山路 华山路 庐山路
运河路 湖西路 新华路 临清路 育新街 文轩路 民生路 凤凰路 铁塔路 护城河路 二环路
开发区路 中华路 香江路 光明路 东城路 聊堂路 聊阳路
""".split()

# Areas that give the grids their names, in the order of the stations' grids.
AREAS = """
东关 古楼 东城 利民路 兴华路 花园路 振兴 向阳 站前 湖西 柳园 湖滨 运河 卫育
光岳 文轩 育新 湖南路 侯营 许营 李海务 朱老庄 闫寺 北城 铁塔 凤凰 龙山
道口铺 嘉明 蒋官屯 黄河 长江 新区 顾官屯 昌润 松桂 建设 嵩山
""".split()

_PREFIXES = """
阳光 金色 御景 翠苑 锦华 盛世 东方 泰和 龙湖 凤凰 海棠 桂花 紫薇 丽景 碧水
蓝天 嘉和 和谐 康居 福泰 鑫源 城建 建业 昌润 东昌 光岳 运河 湖畔 水城 铁塔
兴华 卫育 柳园 振兴 利民 民生 安泰 天成 中华 晨光 春晖 文苑 学府 书香 康桥
怡馨 润德 荣华 金鼎 银河 星河 明珠 铂悦 尚品 江北 湖滨 绿城 香榭 枫林 丰泽
聚龙 华龙 新东 万和 金泰 宏达 瑞祥 富民 佳和 百合 清华 滨河 幸福 祥和 天润
华府 世纪 未来 中央 凤栖
""".split()
_SUFFIXES = """
花园 家园 新村 小区 公寓 名苑 府邸 新城 名居 雅居 嘉园 华庭 国际 广场 佳苑
丽园 山庄 雅苑 水岸 绿洲 苑 城 湾 里 府 居
""".split()
_PHASES = "一期 二期 三期 东区 西区 南区 北区".split()
_EMPLOYERS = """
自来水公司 供电公司 农机局 粮食局 实验中学 第一中学 人民医院 棉纺厂 造纸厂
化肥厂 轴承厂 面粉厂 师范学院 交通局 税务局 电业局 邮电局 物资局 建筑公司
纺织厂 食品厂 烟草公司
""".split()
_VILLAGES = "许营 侯营 豆营 闫寺 李庄 王庄 孙堂 朱庄 东杨 西杨".split()

MOBILE_PREFIXES = "138 139 135 136 137 150 151 152 158 159 182 187 188 130 131 155 186".split()
SURNAMES = (
    "王王王李李李张张张刘刘陈陈杨杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧"
    "程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金"
    "陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤尹黎易常武乔贺赖龚文"
)
_GIVEN_MALE = "伟强磊军勇杰涛明超刚平辉鹏华飞鑫波斌宇浩凯健俊帆帅旭宁龙林峰建国庆春东志海"
_GIVEN_FEMALE = "芳娜敏静丽艳娟霞秀玲桂英红梅琳燕萍雪慧颖婷晶洁倩璐瑶怡欣悦丹蕾莉佳"


def community_names(rng: random.Random, count: int) -> list[str]:
    """`count` unique community names: the real ones first, then plausible invented ones."""
    names = list(dict.fromkeys(REAL_COMMUNITIES))[:count]
    seen = set(names)
    while len(names) < count:
        roll = rng.random()
        if roll < 0.70:
            name = rng.choice(_PREFIXES) + rng.choice(_SUFFIXES)
        elif roll < 0.82:
            name = rng.choice(_PREFIXES) + rng.choice(_SUFFIXES) + rng.choice(_PHASES)
        elif roll < 0.94:
            name = rng.choice(_EMPLOYERS) + rng.choice(["宿舍", "家属院", "小区"])
        else:
            name = rng.choice(_VILLAGES) + rng.choice(["社区", "新村", "安置小区"])
        if len(name) < 3 or name in seen:
            continue
        seen.add(name)
        names.append(name)
    return names


def address(rng: random.Random) -> str:
    return f"{rng.choice(STREETS)}{rng.randint(1, 320)}号"


def person_name(rng: random.Random, female: bool | None = None) -> str:
    if female is None:
        female = rng.random() < 0.5
    chars = _GIVEN_FEMALE if female else _GIVEN_MALE
    given = rng.choice(chars)
    if rng.random() < 0.7:
        given += rng.choice(chars)
    return rng.choice(SURNAMES) + given


def caller_name(rng: random.Random) -> str:
    """What an agent writes down: often just the surname and a courtesy title."""
    if rng.random() < 0.6:
        return rng.choice(SURNAMES) + rng.choice(["先生", "女士"])
    return person_name(rng)


def mobile(rng: random.Random, prefix: str = "") -> str:
    head = prefix or rng.choice(MOBILE_PREFIXES)
    return head + "".join(rng.choice("0123456789") for _ in range(11 - len(head)))


def landline(rng: random.Random) -> str:
    """A Liaocheng landline (area code 0635)."""
    return "0635-" + rng.choice("28") + "".join(rng.choice("0123456789") for _ in range(6))
