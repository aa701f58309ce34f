from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from reviewdesk.shops.models import Shop


def _run(*args: str) -> str:
    out = StringIO()
    call_command("shops", *args, stdout=out)
    return out.getvalue()


def test_creates_a_shop(db: None) -> None:
    out = _run("create", "warm-home", "--name", "暖居家纺旗舰店", "--platform", "taobao")

    shop = Shop.objects.get(slug="warm-home")
    assert (shop.name, shop.platform) == ("暖居家纺旗舰店", "taobao")
    assert "created shop warm-home" in out


def test_refuses_a_taken_slug_and_keeps_the_first_shop(db: None) -> None:
    _run("create", "warm-home", "--name", "暖居家纺旗舰店", "--platform", "taobao")
    with pytest.raises(CommandError, match="exists") as exc:
        _run("create", "warm-home", "--name", "另一家", "--platform", "tmall")
    assert exc.value.returncode == 2
    assert Shop.objects.get(slug="warm-home").name == "暖居家纺旗舰店"


def test_refuses_a_slug_with_uppercase_or_spaces(db: None) -> None:
    with pytest.raises(CommandError, match="lowercase"):
        _run("create", "Warm Home", "--name", "暖居", "--platform", "taobao")
    assert not Shop.objects.exists()


def test_lists_shops_as_json(db: None) -> None:
    _run("create", "b-shop", "--name", "乙", "--platform", "jd")
    _run("create", "a-shop", "--name", "甲", "--platform", "pdd")
    rows = [json.loads(line) for line in _run("list", "--json").splitlines()]
    assert rows == [
        {"slug": "a-shop", "name": "甲", "platform": "pdd"},
        {"slug": "b-shop", "name": "乙", "platform": "jd"},
    ]


def test_creates_a_shop_with_its_product_category(db: None) -> None:
    _run("create", "fresh-fruit", "--name", "鲜果园", "--platform", "tmall", "--category", "fruit")
    assert Shop.objects.get(slug="fresh-fruit").product_category == "fruit"


def test_refuses_an_unknown_product_category(db: None) -> None:
    with pytest.raises(CommandError, match="category"):
        _run("create", "home", "--name", "暖居", "--platform", "taobao", "--category", "家纺")
    assert not Shop.objects.exists()
