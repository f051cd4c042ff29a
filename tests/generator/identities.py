"""Realistic, valid (or deliberately invalid) people, companies and identifiers."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta

from stdnum.cn import ric, uscc

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高郑梁谢宋唐许韩冯邓曹彭曾肖田董潘袁蔡蒋余叶杜苏魏程吕丁任沈姚卢钟姜崔谭陆范汪廖石金韦贾夏付方邹熊白孟秦邱侯江尹薛阎段雷龙黎史陶贺毛郝顾龚邵万覃武钱戴严欧莫孔向常汤"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉萍红志建国文辉鹏宇浩然思雨欣怡子涵梓轩晨曦嘉俊佳琪雅婷家豪俊杰振宇晓东海燕春梅立新永辉"
BRANDS = [
    "智造云", "数联", "华信", "领航", "莞创", "松湖", "粤科", "宏图", "中旭", "汇智", "凯达", "盈科", "博远",
    "星河", "致远", "锐思", "瑞丰", "嘉和", "鼎盛", "云帆", "智联", "腾越", "新易", "科睿", "金桥", "天弘",
]
INDUSTRIES = ["科技", "信息技术", "数字科技", "智能制造", "软件", "网络科技", "工业互联网", "电子科技", "数据服务"]
TOWNS = [
    "南城街道", "东城街道", "莞城街道", "万江街道", "松山湖", "长安镇", "虎门镇", "厚街镇", "寮步镇", "大朗镇",
    "塘厦镇", "常平镇", "凤岗镇", "石龙镇", "清溪镇", "樟木头镇", "黄江镇", "大岭山镇", "横沥镇", "茶山镇",
]
ROADS = ["鸿福路", "东莞大道", "宏图路", "新城大道", "工业西路", "科技十路", "环城路", "莞太路", "松山湖大道", "创新路"]
OTHER_CITIES = [("440300", "深圳市", "南山区"), ("440100", "广州市", "天河区"), ("440600", "佛山市", "顺德区")]
ID_REGIONS = ["441900", "440106", "430102", "360102", "450102", "440303", "441302", "420106", "440104", "430111", "362502", "452501"]
ETHNICITIES = ["汉"] * 8 + ["壮", "回", "满", "苗", "土家", "瑶"]
ROLES = ["项目经理", "技术总监", "实施工程师", "咨询顾问", "数据分析师", "软件工程师", "运维工程师", "产品经理", "培训讲师"]
CHANGE_ITEMS = [
    "服务东莞的独立法人主体变更",
    "变更在莞服务主体为新设立的全资子公司",
    "在莞独立法人单位由分支机构变更为独立法人",
]
ENTITY_TYPES = ["有限责任公司（自然人投资或控股）", "有限责任公司（法人独资）", "其他有限责任公司", "股份有限公司（非上市、自然人投资或控股）"]
SCOPE_ITEMS = [
    "技术服务、技术开发、技术咨询、技术交流、技术转让、技术推广", "软件开发", "信息系统集成服务", "工业互联网数据服务",
    "数据处理和存储支持服务", "人工智能应用软件开发", "信息技术咨询服务", "物联网技术服务", "智能控制系统集成",
    "计算机系统服务", "企业管理咨询", "工业设计服务", "网络技术服务", "云计算装备技术服务", "大数据服务",
    "数字技术服务", "供应链管理服务", "信息咨询服务（不含许可类信息咨询服务）", "会议及展览服务",
    "工业自动控制系统装置销售", "计算机软硬件及辅助设备零售", "电子产品销售", "人力资源服务（不含职业中介活动、劳务派遣服务）",
    "互联网数据服务", "信息系统运行维护服务", "数字内容制作服务（不含出版发行）", "市场营销策划", "教育咨询服务（不含涉许可审批的教育培训活动）",
    # wordings dgintake's scope catalogue does not list, so the set also shows how items
    # outside it are read
    "家用电器销售", "照明器具销售", "安防设备销售", "光伏设备及元器件销售", "数字视频监控系统销售",
    "物料搬运装备销售", "文化用品设备出租（不含电子游艺设备）",
]
SCOPE_LICENSED = ["第一类增值电信业务", "第二类增值电信业务", "互联网信息服务", "建设工程施工"]
SCOPE_GENERAL_NOTE = "（除依法须经批准的项目外，凭营业执照依法自主开展经营活动）"
SCOPE_LICENSED_NOTE = "（依法须经批准的项目，经相关部门批准后方可开展经营活动，具体经营项目以相关部门批准文件或许可证件为准）"


def business_scope(rng: random.Random) -> str:
    """经营范围 as licences print it since the 2021 catalogue (一般项目/许可项目, items
    separated by ；), or in the older style (items separated by 、 or ，)."""
    items = rng.sample(SCOPE_ITEMS, rng.randint(3, 8))
    if rng.random() < 0.25:
        return rng.choice(["、", "，"]).join(items) + "。"
    text = "一般项目：" + "；".join(items) + "。" + (SCOPE_GENERAL_NOTE if rng.random() < 0.5 else "")
    if rng.random() < 0.3:
        text += "许可项目：" + "；".join(rng.sample(SCOPE_LICENSED, rng.randint(1, 2))) + "。" + SCOPE_LICENSED_NOTE
    return text


def person_name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice([1, 2, 2])))


def make_id_number(rng: random.Random, birth: date, male: bool, region: str | None = None) -> str:
    # Real people often carry a region code created after their birth (numbers issued
    # since 1999 use current codes), so no attempt is made to match code age to birth.
    code = region or rng.choice(ID_REGIONS)
    seq = rng.randrange(0, 500) * 2 + (1 if male else 0)
    body = f"{code}{birth:%Y%m%d}{seq:03d}"
    return body + ric.calc_check_digit(body + "0")  # the helper ignores a trailing placeholder


USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"


def make_credit_code(rng: random.Random, division: str = "441900", category: str = "1") -> str:
    org = "".join(rng.choice(USCC_ALPHABET) for _ in range(8))
    org += "0123456789X"[_org_check(org)] if all(c.isdigit() for c in org) else rng.choice("0123456789")
    body = "9" + category + division + org
    return body + uscc.calc_check_digit(body)


def make_registration_number(rng: random.Random, division: str = "441900") -> str:
    """工商注册号 (GS15-2006): the registering office's division code, an 8-digit
    sequence and an ISO 7064 MOD 11,10 check digit."""
    from stdnum.iso7064 import mod_11_10

    body = division + "".join(rng.choice("0123456789") for _ in range(8))
    return body + mod_11_10.calc_check_digit(body)


def _org_check(org: str) -> int:
    weights = (3, 7, 9, 10, 5, 8, 4, 2)
    total = sum(int(c) * w for c, w in zip(org, weights))
    return (11 - total % 11) % 11 if (11 - total % 11) % 11 < 10 else 10


def phone(rng: random.Random) -> str:
    return rng.choice(["138", "139", "136", "135", "150", "186", "189", "177"]) + f"{rng.randrange(10**8):08d}"


@dataclass
class Person:
    name: str
    male: bool
    birth: date
    id_number: str
    ethnicity: str
    address: str
    phone: str
    role: str = ""


def make_person(rng: random.Random, age_range=(24, 58), today: date = date(2026, 11, 20)) -> Person:
    age_days = rng.randrange(age_range[0] * 365, age_range[1] * 365)
    birth = today - timedelta(days=age_days)
    male = rng.random() < 0.55
    town = rng.choice(TOWNS)
    address = f"广东省东莞市{town}{rng.choice(ROADS)}{rng.randrange(1, 300)}号{rng.randrange(1, 30)}栋{rng.randrange(101, 2999)}房"
    return Person(
        name=person_name(rng),
        male=male,
        birth=birth,
        id_number=make_id_number(rng, birth, male),
        ethnicity=rng.choice(ETHNICITIES),
        address=address,
        phone=phone(rng),
        role=rng.choice(ROLES),
    )


@dataclass
class Company:
    name: str
    credit_code: str
    entity_type: str
    address: str
    authority: str
    capital: str
    established: date
    term_end: date | None  # None = 长期
    scope: str
    issue_date: date
    rep_label: str = "法定代表人"
    address_label: str = "住所"
    town: str = ""
    team: list[Person] = field(default_factory=list)
    # set on a licence printed before 2016 (企业法人营业执照), which shows this 15-digit
    # 注册号 where later licences print the credit code
    registration_number: str | None = None


def make_company(rng: random.Random, today: date = date(2026, 11, 20)) -> Company:
    brand = rng.choice(BRANDS) + rng.choice(["", "", "恒", "信", "达"])
    name = f"东莞市{brand}{rng.choice(INDUSTRIES)}有限公司"
    town = rng.choice(TOWNS)
    established = today - timedelta(days=rng.randrange(400, 6000))
    authority = rng.choice(["东莞市市场监督管理局", f"东莞市市场监督管理局{town.replace('街道', '').replace('镇', '')}分局"])
    return Company(
        name=name,
        credit_code=make_credit_code(rng),
        entity_type=rng.choice(ENTITY_TYPES),
        address=f"广东省东莞市{town}{rng.choice(ROADS)}{rng.randrange(1, 500)}号{rng.randrange(1, 20)}栋{rng.randrange(1, 30)}楼",
        authority=authority,
        capital=f"{rng.choice([100, 200, 500, 1000, 3000, 5000])}万元人民币",
        established=established,
        term_end=None if rng.random() < 0.6 else established.replace(year=established.year + 30),
        scope=business_scope(rng),
        issue_date=established + timedelta(days=rng.randrange(0, 300)),
        town=town,
    )
