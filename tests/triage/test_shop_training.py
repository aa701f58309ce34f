"""Shop models from agents' corrections (src/reviewdesk/triage/shop_training.py, registry)."""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from pytest_django.fixtures import Settings as SettingsWrapper

from reviewdesk.cases.services.corrections import case_triage_correct
from reviewdesk.triage import registry
from reviewdesk.triage.classifiers.linear_ngram import LinearNgramClassifier
from reviewdesk.triage.shop_training import NotEnoughLabelsError, check_labels, train_shop
from tests.cases.helpers import open_cases, record, triage
from tests.conftest import World

# This shop files colour complaints under dislike_style (the default model says not_as_described)
# and everything about the courier under logistics, medium.
COLOUR = [
    "颜色和图片差别很大，实物偏暗",
    "色差严重，图片是酒红色，收到是砖红",
    "颜色不是我想要的那种，有点显老",
    "实物颜色比图片深很多",
    "颜色偏黄，跟图片不一样",
    "收到的颜色太艳了，不喜欢",
    "图片上是米白，实物发灰",
    "颜色和描述的不太一样，偏绿",
    "这个颜色上身显黑，跟图片差好多",
    "色差有点大，灰色收到像咖啡色",
    "颜色跟店里图片比淡了很多",
    "实物颜色发旧，图片好看多了",
]
COURIER = [
    "快递太慢了，等了一个星期",
    "物流一直不更新，催了好几次",
    "快递员不送上门，让我自己去取",
    "包裹在中转站停了三天",
    "发货慢，付款四天才发出",
    "物流信息显示签收了，我根本没收到",
    "快递把箱子压扁了，里面还好",
    "送货太慢，双十一前买的现在才到",
    "快递态度很差，打电话不接",
    "物流慢得离谱，隔壁城市走了五天",
    "快递放在门口没人管，差点丢了",
    "发的韵达，太慢了",
]
TEXTS = COLOUR + COURIER
CAUSES = ["dislike_style"] * 12 + ["logistics"] * 12
SEVERITIES = ["low"] * 12 + ["medium"] * 12


@lru_cache(maxsize=1)
def _base() -> LinearNgramClassifier:
    return LinearNgramClassifier()


def test_refuses_too_few_labels_or_a_single_class() -> None:
    with pytest.raises(NotEnoughLabelsError, match="19 labels; at least 20"):
        check_labels(CAUSES[:19], SEVERITIES[:19], 20)
    with pytest.raises(NotEnoughLabelsError, match="at least 2 classes"):
        check_labels(["quality"] * 25, ["low"] * 25, 20)
    assert check_labels(["quality"] * 25, ["low", "high"] * 12 + ["low"], 20) == ["severity"]


def test_trains_a_delta_the_registry_loads_for_that_shop_only(
    tmp_path: Path, settings: SettingsWrapper
) -> None:
    settings.REVIEWDESK_TRIAGE_SHOP_MODELS_DIR = str(tmp_path)
    metrics = train_shop(
        _base(),
        shop_slug="shop-a",
        texts=TEXTS,
        causes=CAUSES,
        severities=SEVERITIES,
        out_dir=tmp_path,
    )

    assert metrics["labels"] == 24
    assert metrics["heads"] == ["cause", "severity"]
    assert set(metrics["cause"]) == {"before", "after"}
    assert metrics["cause"]["after"]["macro_f1"] > metrics["cause"]["before"]["macro_f1"]
    assert (tmp_path / "shop-a" / "linear_ngram.delta.npz").is_file()
    saved = json.loads((tmp_path / "shop-a" / "linear_ngram.delta.json").read_text("utf-8"))
    assert saved["version"] == f"{_base().version}+shop-a.24"

    new_text = "颜色和图片不一样，实物偏紫"
    shop_result = registry.get_classifier("default", "shop-a").classify(new_text)
    other_result = registry.get_classifier("default", "shop-b").classify(new_text)
    assert shop_result.model_version == f"{_base().version}+shop-a.24"
    assert shop_result.cause == "dislike_style"
    assert other_result.model_version == _base().version
    assert registry.get_classifier("default", "shop-b") is registry.get_classifier("default")


@pytest.mark.postgres
def test_command_trains_from_agents_corrections(
    world: World, tmp_path: Path, settings: SettingsWrapper, capsys: pytest.CaptureFixture[str]
) -> None:
    settings.REVIEWDESK_TRIAGE_SHOP_MODELS_DIR = str(tmp_path)
    oids = [3028689418086200 + i for i in range(len(TEXTS))]
    cases = open_cases(
        world.shop_a,
        [record(oid, "bad", text) for oid, text in zip(oids, TEXTS, strict=True)],
        triaged={oid: triage(cause="not_as_described") for oid in oids},
    )
    by_review = {c.review.content: c for c in cases if c.review}
    for text, cause, severity in zip(TEXTS, CAUSES, SEVERITIES, strict=True):
        case_triage_correct(
            actor=world.agent_a, case=by_review[text], cause=cause, severity=severity
        )

    call_command("triage", "train", "--shop", "shop-a")

    out = capsys.readouterr().out
    assert "shop shop-a: 24 labels" in out
    assert "cause     accuracy" in out
    assert "severity  accuracy" in out
    assert (tmp_path / "shop-a" / "linear_ngram.delta.npz").is_file()


@pytest.mark.postgres
def test_command_refuses_a_shop_with_too_few_labels(
    world: World, tmp_path: Path, settings: SettingsWrapper
) -> None:
    settings.REVIEWDESK_TRIAGE_SHOP_MODELS_DIR = str(tmp_path)
    with pytest.raises(CommandError, match="cannot train a model for shop shop-b: 0 labels"):
        call_command("triage", "train", "--shop", "shop-b")
    with pytest.raises(CommandError, match="no shop 'nope'"):
        call_command("triage", "train", "--shop", "nope")
    assert not (tmp_path / "shop-b").exists()
