"""Value types of triage (src/reviewdesk/triage/types.py)."""

from __future__ import annotations

import pytest

from reviewdesk.triage.types import CATEGORIES, category_key


@pytest.mark.parametrize(
    ("value", "key"),
    [
        ("衣服", "clothes"),
        ("clothes", "clothes"),
        (" 水果 ", "fruit"),
        ("蒙牛", "dairy"),
        ("计算机", "computers"),
        ("家纺", None),
        ("", None),
        (None, None),
    ],
)
def test_category_key_reads_the_data_names_and_the_english_keys(
    value: str | None, key: str | None
) -> None:
    assert category_key(value) == key


def test_every_category_is_its_own_key() -> None:
    assert [category_key(c) for c in CATEGORIES] == list(CATEGORIES)
