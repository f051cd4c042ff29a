"""Names that seals print, for snapping a noisy ring-text reading to its likely spelling.

Seal text is arced, speckled and often stamped over print, so the recogniser gets a
character or two wrong even when the name is plain to a person. A reading that is
close to one known name (and not close to two) is taken as that name, at a low
confidence the rules know to doubt.
"""

from __future__ import annotations

from difflib import SequenceMatcher
from functools import lru_cache

# Dongguan's streets, towns and special zones (the registration authority has a branch
# office in each).
DONGGUAN_PLACES = (
    "莞城", "南城", "东城", "万江",
    "石碣", "石龙", "茶山", "石排", "企石", "横沥", "桥头", "谢岗", "东坑", "常平", "寮步", "樟木头", "大朗",
    "黄江", "清溪", "塘厦", "凤岗", "大岭山", "长安", "虎门", "厚街", "沙田", "道滘", "洪梅", "麻涌", "望牛墩",
    "中堂", "高埗",
    "松山湖", "东莞港", "东莞生态园", "滨海湾",
)
SI_ISSUERS = ("国家税务总局东莞市税务局", "东莞市社会保险基金管理中心", "东莞市人力资源和社会保障局")


@lru_cache(maxsize=1)
def registration_authorities() -> tuple[str, ...]:
    names = ["东莞市市场监督管理局", "东莞市工商行政管理局"]
    names += [f"东莞市市场监督管理局{place}分局" for place in DONGGUAN_PLACES]
    names += [f"东莞市工商行政管理局{place}分局" for place in DONGGUAN_PLACES]
    return tuple(names)


def snap(reading: str, names: tuple[str, ...], threshold: float = 0.7) -> str | None:
    """The one known name `reading` is close to, if exactly one stands out.

    Every name here holds its city; a reading that shows no
    trace of 东莞 is never pulled to a Dongguan name (深圳市市场监督管理局 is not one
    misread character away from a Dongguan authority, it is another city)."""
    reading = "".join(reading.split())
    if not reading or not set(reading) & set("东莞"):
        return None
    scored = sorted(((SequenceMatcher(None, reading, name).ratio(), name) for name in names), reverse=True)
    best_score, best = scored[0]
    runner_up = scored[1][0] if len(scored) > 1 else 0.0
    if best_score >= threshold and best_score - runner_up >= 0.03:
        return best
    return None


def known_or_read(value: str, names: tuple[str, ...]) -> str:
    """A reading that is not a known name but is close to one becomes that name."""
    return value if value in names else (snap(value, names) or value)
