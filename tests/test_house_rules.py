"""House rules enforced by reading the source (STYLE C3, C13)."""

from __future__ import annotations

import re
from pathlib import Path

SRC = Path(__file__).resolve().parent.parent / "src" / "reviewdesk"
# Interfaces that people drive: they read through scoped selectors, never Model.objects.
INTERFACE_FILES = [
    *sorted((SRC / "web").rglob("*.py")),
    *[p for p in sorted((SRC / "api").glob("*.py")) if p.name not in {"services.py", "models.py"}],
    SRC / "replies" / "views.py",
    SRC / "replies" / "shop_views.py",
    SRC / "compensation" / "views.py",
]
_OBJECTS = re.compile(r"\b[A-Z]\w*\.objects\b")


def test_views_and_routers_do_not_query_models_directly() -> None:
    offenders = [
        f"{path.relative_to(SRC)}:{number}"
        for path in INTERFACE_FILES
        if path.is_file()
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if _OBJECTS.search(line)
    ]
    assert offenders == []


def test_no_pickle_anywhere() -> None:
    offenders = [
        str(path.relative_to(SRC))
        for path in SRC.rglob("*.py")
        if re.search(
            r"^\s*(import pickle|from pickle)|allow_pickle=True", path.read_text("utf-8"), re.M
        )
    ]
    assert offenders == []
