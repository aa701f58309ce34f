"""The case page's panels: SLA with countdown, triage with highlighted evidence, linked cases,
the replies partials wired in, the DSR impact, and a bounded number of queries."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from reviewdesk.cases.services.contact import contact_log
from reviewdesk.cases.services.transitions import case_start_contact, case_wait
from reviewdesk.platforms.pipeline import ingest_reviews
from reviewdesk.platforms.records import ReviewRecord
from reviewdesk.ratings.dsr import ScoredTrade
from reviewdesk.ratings.services import scored_trades_upsert
from reviewdesk.reviews.models import Review
from tests.conftest import at
from tests.web.conftest import NOW, OID_GLOVES, OPENED, TID_XIAOBAI, Desk

pytestmark = pytest.mark.postgres


def _page(client: Client, case_id: int) -> str:
    response = client.get(reverse("web:case_detail", args=[case_id]))
    assert response.status_code == 200
    return response.content.decode()


def test_sla_panel_shows_the_breached_first_contact_in_shop_time(
    client: Client, desk: Desk
) -> None:
    client.force_login(desk.world.agent_a)
    with time_machine.travel(NOW, tick=False):
        html = _page(client, desk.scarf_case.pk)
    sla = html[html.index('id="case-sla"') - 60 : html.index('id="case-actions"')]
    assert "sla-breach" in sla
    assert "首次联系截止" in sla
    assert "11-20 10:30" in sla  # 15 working minutes after 10:15, shop time
    assert "已超时 02:50:00" in sla
    assert 'data-due="2026-11-20T10:30:00+08:00"' in sla
    assert "评价可修改截止" in sla
    assert "2026-12-20 10:02" in sla  # rated 11-20 10:02 + 30 days (Taobao)


def test_sla_panel_counts_down_before_the_due_time(client: Client, desk: Desk) -> None:
    client.force_login(desk.world.agent_a)
    with time_machine.travel(at("2026-11-20 10:20"), tick=False):
        html = _page(client, desk.scarf_case.pk)
    assert "sla-ok" in html
    assert "10:00 后到期" in html


def test_sla_panel_shows_the_pause_while_waiting(client: Client, desk: Desk) -> None:
    with time_machine.travel(at("2026-11-20 10:20"), tick=False):
        case_start_contact(actor=desk.world.agent_a, case=desk.scarf_case)
        case_wait(actor=desk.world.agent_a, case=desk.scarf_case, reason="等买家拍照")
    client.force_login(desk.world.agent_a)
    with time_machine.travel(at("2026-11-20 12:35"), tick=False):
        html = _page(client, desk.scarf_case.pk)
    assert "sla-paused" in html
    assert "计时已暂停" in html
    assert "已暂停 2小时15分" in html


def test_triage_evidence_is_highlighted_and_the_text_stays_escaped(
    client: Client, desk: Desk
) -> None:
    content = "围巾掉毛<b>严重</b>，再不退款我就打12315投诉"
    Review.objects.filter(pk=desk.scarf_case.review_id or 0).update(
        content=content,
        triage={
            "is_complaint": True,
            "complaint_probability": 0.9731,
            "cause": "quality",
            "cause_probability": 0.8123,
            "severity": "high",
            "severity_probability": 0.7,
            "risk_flags": ["complaint_threat"],
            "model_name": "linear_ngram",
            "model_version": "2026.11",
            "evidence": {
                "cause": [
                    {
                        "start": 2,
                        "end": 4,
                        "text": "掉毛",
                        "reason": "lexicon:quality",
                        "source": "review",
                    }
                ],
                "risk:complaint_threat": [
                    {
                        "start": 21,
                        "end": 26,
                        "text": "12315",
                        "reason": "complaint_threat",
                        "source": "review",
                    }
                ],
                "complaint": [
                    {"start": 0, "end": 0, "text": "", "reason": "result=bad", "source": "context"},
                    {"start": 40, "end": 44, "text": "越界", "reason": "stale", "source": "review"},
                ],
            },
        },
    )
    client.force_login(desk.world.agent_a)
    html = _page(client, desk.scarf_case.pk)
    assert '<mark class="ev ev-cause" title="原因: lexicon:quality">掉毛</mark>' in html
    assert '<mark class="ev ev-risk" title="风险 · 投诉威胁: complaint_threat">12315</mark>' in html
    assert "&lt;b&gt;严重&lt;/b&gt;" in html
    assert "<b>严重</b>" not in html
    assert "越界" not in html  # a span outside the text is left out, not drawn
    assert "linear_ngram@2026.11" in html
    assert "97.3%" in html
    assert "81.2%" in html
    triage = html[html.index('id="case-triage"') :]
    assert "投诉威胁" in triage
    assert "质量问题" in triage


def test_linked_cases_of_the_same_buyer_and_order_are_listed(client: Client, desk: Desk) -> None:
    ingest_reviews(
        shop=desk.world.shop_a,
        records=[
            ReviewRecord(
                tid=TID_XIAOBAI,
                oid=OID_GLOVES,
                buyer_nick="t**小白",
                result="bad",
                rated_at=at("2026-11-20 10:02"),
                content="手套也掉毛，差评",
                item_title="触屏羊毛手套",
            )
        ],
        source="taobao:traderates",
        at=at("2026-11-20 11:00"),
    )
    gloves = desk.scarf_case.__class__.objects.get(review__oid=OID_GLOVES)
    client.force_login(desk.world.agent_a)
    html = _page(client, desk.scarf_case.pk)
    linked = html[html.index('id="case-linked"') :]
    assert reverse("web:case_detail", args=[gloves.pk]) in linked
    assert f"#{gloves.pk}" in linked


def test_replies_partials_and_dsr_impact_are_loaded_after_the_page(
    client: Client, desk: Desk
) -> None:
    client.force_login(desk.world.agent_a)
    html = _page(client, desk.scarf_case.pk)
    case_id = desk.scarf_case.pk
    for name in ("playbook", "scripts", "explanation", "compensation"):
        assert f'hx-get="{reverse(f"replies:{name}", args=[case_id])}"' in html
        assert f'id="replies-{name}-{case_id}"' in html
    assert f'hx-get="{reverse("web:case_dsr_impact", args=[case_id])}"' in html


def test_dsr_impact_says_when_the_stars_are_unknown(client: Client, desk: Desk) -> None:
    client.force_login(desk.world.agent_a)
    url = reverse("web:case_dsr_impact", args=[desk.scarf_case.pk])
    assert "DSR评分未知" in client.get(url).content.decode()


def test_dsr_impact_shows_what_the_rating_does(client: Client, desk: Desk) -> None:
    shanghai = dt.timezone(dt.timedelta(hours=8))
    trades = [
        ScoredTrade(
            tid=3028000000000000 + n,
            buyer=f"tb_{n}",
            trade_created=dt.datetime(2026, 11, 1, 10, tzinfo=shanghai),
            rated_at=dt.datetime(2026, 11, 5, 10, tzinfo=shanghai),
            alipay=True,
            is_default=False,
            desc=5,
            service=5,
            logistics=5,
        )
        for n in range(9)
    ]
    trades.append(
        ScoredTrade(
            tid=TID_XIAOBAI,
            buyer="t**小白",
            trade_created=at("2026-11-11 00:03"),
            rated_at=at("2026-11-20 10:02"),
            alipay=True,
            is_default=False,
            desc=1,
            service=5,
            logistics=5,
        )
    )
    scored_trades_upsert(shop=desk.world.shop_a, trades=trades, source="test")
    client.force_login(desk.world.agent_a)
    with time_machine.travel(NOW, tick=False):
        html = client.get(
            reverse("web:case_dsr_impact", args=[desk.scarf_case.pk])
        ).content.decode()
    assert "4.60000" in html  # (9*5 + 1) / 10
    assert "5.00000" in html
    assert "−0.40000" in html
    assert "PLATFORM §9.3 D6" in html


def test_dsr_impact_of_another_shops_case_is_not_found(client: Client, desk: Desk) -> None:
    client.force_login(desk.world.agent_b)
    url = reverse("web:case_dsr_impact", args=[desk.scarf_case.pk])
    assert client.get(url).status_code == 404


def test_case_page_queries_do_not_grow_with_contacts_and_events(
    client: Client, desk: Desk, django_assert_max_num_queries: object
) -> None:
    client.force_login(desk.world.agent_a)
    # session, user, case + prefetches (events, actors, versions, items, appointments), order
    # reviews, contact rights, contacts, next channel, linked, playbook steps, explanation, SLA
    # pause, top-bar shops, bell: a fixed number, whatever the history.
    with django_assert_max_num_queries(24):  # type: ignore[operator]
        _page(client, desk.scarf_case.pk)
    with time_machine.travel(OPENED + dt.timedelta(minutes=5), tick=True):
        for n in range(12):
            contact_log(
                actor=desk.world.agent_a,
                case=desk.scarf_case,
                channel=("phone", "im", "sms")[n % 3],
                outcome="no_answer",
                note=f"第{n + 1}次",
            )
    with django_assert_max_num_queries(24):  # type: ignore[operator]
        html = _page(client, desk.scarf_case.pk)
    assert "第12次" in html
