from __future__ import annotations

import pytest

from reviewdesk.replies.templating import TemplateError, placeholders_in, render, validate_template


def test_fills_placeholders_from_values() -> None:
    rendered = render(
        "{buyer_nick}您好，订单{tid}的运费{amount}元我们承担",
        {"buyer_nick": "t**小白", "tid": 3028689418086124, "amount": "12.00"},
    )

    assert rendered.text == "t**小白您好，订单3028689418086124的运费12.00元我们承担"
    assert rendered.is_complete


def test_missing_values_render_a_visible_marker_and_are_listed() -> None:
    rendered = render("约在{appointment_time}，{agent_name}给您回电", {"agent_name": ""})

    assert rendered.text == "约在【待填写：约定的具体时间】，【待填写：客服名字】给您回电"
    assert rendered.missing == ("appointment_time", "agent_name")
    assert not rendered.is_complete


def test_unknown_placeholder_is_rejected_with_the_vocabulary() -> None:
    with pytest.raises(TemplateError, match=r"未知的占位符 \{buyer_name\}"):
        validate_template("{buyer_name}您好")


def test_stray_brace_is_rejected_and_doubled_braces_are_literal() -> None:
    with pytest.raises(TemplateError):
        validate_template("您好{")
    assert render("{{备注}}", {}).text == "{备注}"
    assert placeholders_in("{tid}{tid}{amount}") == ["tid", "amount"]
