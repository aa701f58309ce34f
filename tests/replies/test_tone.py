from __future__ import annotations

import pytest

from reviewdesk.replies.tone import check_tone, has_errors

POLITE = "非常抱歉这次没能让您满意，我们已经安排质检复查，欢迎随时联系主管账号甲店旗舰店:小王。"


def _rules(text: str, **kw: object) -> list[str]:
    return [f.rule for f in check_tone(text, **kw)]  # type: ignore[arg-type]


def test_polite_explanation_has_no_findings() -> None:
    assert check_tone(POLITE) == []


@pytest.mark.parametrize(
    ("_case", "text", "rule", "evidence"),
    [
        ("laugh", "呵呵，抱歉了", "sarcasm", "呵呵"),
        ("happy", "抱歉，您开心就好", "sarcasm", "您开心就好"),
        ("is-it", "抱歉，亲是不是没看详情页", "sarcasm", "亲是不是"),
        ("advice", "抱歉，建议您下次仔细看尺码表", "sarcasm", "建议您下次仔细"),
        ("punct", "抱歉，这也算问题？！", "sarcasm", "？！"),
        ("yourself", "抱歉，是您自己选错了尺码", "blame", "您自己"),
        ("didnt", "抱歉，是您没有按说明洗涤", "blame", "是您没"),
        ("buyer", "抱歉，属于买家原因", "blame", "买家原因"),
        ("not-us", "抱歉，这不是我们的问题", "blame", "不是我们的问题"),
        ("clearly", "抱歉，明明发货前检查过", "arguing", "明明"),
        ("not-at-all", "抱歉，根本不是质量问题", "arguing", "根本不是"),
        ("fact", "抱歉，事实是快递延误", "arguing", "事实是"),
        ("malice", "抱歉，这是恶意差评", "arguing", "恶意差评"),
    ],
)
def test_flags_tone_with_evidence(_case: str, text: str, rule: str, evidence: str) -> None:
    findings = check_tone(text)

    assert [(f.rule, f.evidence) for f in findings] == [(rule, evidence)]
    assert findings[0].severity == "warning"
    assert findings[0].message


def test_missing_apology_is_flagged() -> None:
    assert _rules("已经为您安排补发，请注意查收。") == ["missing_apology"]


@pytest.mark.parametrize(
    ("_case", "text", "evidence"),
    [
        ("phone", "抱歉，请回电13812345678", "13812345678"),
        ("phone-spaced", "抱歉，请回电138 1234 5678", "138 1234 5678"),
        ("address", "抱歉，已寄往杭州市余杭区文一西路88号", "杭州市余杭区文一西路88号"),
        ("receiver", "抱歉，收货人：张伟已签收", "收货人：张伟已签"),
    ],
)
def test_personal_data_is_an_error(_case: str, text: str, evidence: str) -> None:
    findings = check_tone(text)

    assert [(f.rule, f.evidence, f.severity) for f in findings] == [
        ("personal_data", evidence, "error")
    ]
    assert has_errors(findings)


def test_known_buyer_data_is_flagged_even_without_a_pattern() -> None:
    findings = check_tone("抱歉，李秀英女士，我们已处理", known_personal=["李秀英"])

    assert [(f.rule, f.evidence) for f in findings] == [("personal_data", "李秀英")]


def test_order_number_is_a_warning_not_personal_data() -> None:
    findings = check_tone("抱歉，订单3028689418086124已处理")

    assert [(f.rule, f.severity) for f in findings] == [("order_number", "warning")]


def test_more_than_500_characters_is_an_error() -> None:
    assert _rules("抱歉" + "好" * 498) == []
    findings = check_tone("抱歉" + "好" * 499)
    assert [(f.rule, f.severity) for f in findings] == [("too_long", "error")]
    assert "501" in findings[0].message
