"""Evidence highlighting is pure: escaped text, marks at the span offsets, overlaps split."""

from __future__ import annotations

from django.utils import translation

from reviewdesk.web.highlight import context_reasons, highlight


def _span(
    start: int, end: int, text: str, reason: str, source: str = "review"
) -> dict[str, object]:
    return {"start": start, "end": end, "text": text, "reason": reason, "source": source}


def test_text_without_evidence_is_only_escaped() -> None:
    assert highlight('<img src=x onerror="alert(1)">', None) == (
        "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;"
    )


def test_each_span_becomes_a_mark_with_its_reason() -> None:
    with translation.override("en"):
        html = highlight(
            "色差很大，客服态度差", {"cause": [_span(0, 2, "色差", "lexicon:not_as_described")]}
        )
    assert html == (
        '<mark class="ev ev-cause" title="Cause: lexicon:not_as_described">色差</mark>'
        "很大，客服态度差"
    )


def test_overlapping_spans_are_split_and_carry_every_reason() -> None:
    text = "再不退款就投诉"
    evidence = {
        "complaint": [_span(0, 4, "再不退款", "gram")],
        "risk:extortion": [_span(2, 7, "退款就投诉", "extortion")],
    }
    with translation.override("en"):
        html = str(highlight(text, evidence))
    assert html == (
        '<mark class="ev ev-complaint" title="Complaint: gram">再不</mark>'
        '<mark class="ev ev-complaint ev-risk" '
        'title="Complaint: gram；Risk · Extortion: extortion">'
        "退款</mark>"
        '<mark class="ev ev-risk" title="Risk · Extortion: extortion">就投诉</mark>'
    )


def test_reasons_are_escaped_inside_the_title() -> None:
    html = str(highlight("掉毛", {"cause": [_span(0, 2, "掉毛", '"><script>')]}))
    assert "<script>" not in html
    assert "&quot;&gt;&lt;script&gt;" in html


def test_stale_or_foreign_spans_are_not_drawn() -> None:
    evidence = {
        "cause": [_span(0, 2, "色差", "changed text")],  # the text no longer says 色差
        "severity": [_span(3, 99, "", "beyond the end")],
        "complaint": [_span(0, 2, "追评", "followup", source="followup")],
    }
    assert highlight("质量好", evidence) == "质量好"
    assert highlight("追评很差", evidence, source="followup").count("<mark") == 1


def test_context_evidence_is_listed_not_marked() -> None:
    evidence = {
        "complaint": [_span(0, 0, "", "result=bad", source="context")],
        "risk:professional_reviewer": [_span(0, 0, "", "5 bad reviews", source="buyer_history")],
        "cause": [_span(0, 2, "掉毛", "lexicon:quality")],
    }
    assert [s.reason for s in context_reasons(evidence)] == ["result=bad", "5 bad reviews"]
