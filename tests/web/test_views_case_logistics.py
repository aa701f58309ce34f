"""Logistics cases on the workbench: the parcel panel (sub-type, check, trace), the playbook and
its scripts filled with the carrier and tracking number, and shop scoping."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from reviewdesk.cases.models import Case
from reviewdesk.platforms.pipeline import ingest_logistics
from reviewdesk.platforms.records import ShipmentRecord, TraceRecord
from tests.web.conftest import NOW, TID_XIAOBAI, Desk

pytestmark = pytest.mark.postgres

H = dt.timedelta(hours=1)


def _parcel(
    desk: Desk, *, carrier: str, tracking_no: str, trace: tuple[TraceRecord, ...], at: dt.datetime
) -> None:
    """The scarf order's parcel (t**小白), shipped when its first trace event says."""
    ingest_logistics(
        shop=desk.world.shop_a,
        records=[
            ShipmentRecord(
                tid=TID_XIAOBAI,
                buyer_nick="t**小白",
                carrier=carrier,
                tracking_no=tracking_no,
                consigned_at=trace[0].at,
                trace=trace,
            )
        ],
        at=at,
    )


def _stalled_case(desk: Desk) -> Case:
    consigned = NOW - 80 * H
    _parcel(
        desk,
        carrier="中通快递",
        tracking_no="75012345678901",
        trace=(
            TraceRecord(consigned, "CONSIGN", "卖家已发货"),
            TraceRecord(consigned + 2 * H, "GOT", "中通快递 已揽收"),
            TraceRecord(consigned + 9 * H, "ARRIVAL", "快件已到达【金华分拨中心】"),
        ),
        at=NOW - H,
    )
    return Case.objects.get(kind="logistics")


def test_the_case_page_shows_the_parcel_panel(client: Client, desk: Desk) -> None:
    case = _stalled_case(desk)
    client.force_login(desk.world.supervisor)
    with time_machine.travel(NOW, tick=False):
        response = client.get(reverse("web:case_detail", args=[case.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    panel = html[html.index('id="case-logistics"') :]
    panel = panel[: panel.index("</section>")]
    assert "已发出但停滞" in panel  # the sub-type
    assert "向快递核实" in panel  # the check
    assert "快件已到达【金华分拨中心】" in panel  # the trace
    assert panel.index("到达") < panel.index("揽收")  # newest event first
    assert "75012345678901" in panel
    assert "物流轨迹" in panel  # the panel's texts in Chinese
    assert "This case has no review." not in html


def test_the_playbook_scripts_name_the_carrier_and_tracking_number(
    client: Client, desk: Desk
) -> None:
    case = _stalled_case(desk)
    client.force_login(desk.world.supervisor)
    playbook = client.get(reverse("replies:playbook", args=[case.pk])).content.decode()
    url = reverse("replies:scripts", args=[case.pk])
    scripts = client.get(url, {"step": "buyer_told"}).content.decode()
    assert "物流：已发出但停滞" in playbook
    assert "中通快递 75012345678901" in scripts


def test_every_partial_of_a_logistics_case_renders(client: Client, desk: Desk) -> None:
    case = _stalled_case(desk)
    client.force_login(desk.world.supervisor)
    for name in (
        "replies:playbook",
        "replies:scripts",
        "replies:explanation",
        "replies:compensation",
        "web:case_dsr_impact",
    ):
        assert client.get(reverse(name, args=[case.pk])).status_code == 200, name


def test_an_agent_of_another_shop_cannot_open_the_case(client: Client, desk: Desk) -> None:
    case = _stalled_case(desk)
    client.force_login(desk.world.agent_b)
    response = client.get(reverse("web:case_detail", args=[case.pk]))
    assert response.status_code == 404


def test_the_queue_lists_the_logistics_case(client: Client, desk: Desk) -> None:
    case = _stalled_case(desk)
    client.force_login(desk.world.supervisor)
    with time_machine.travel(NOW + dt.timedelta(minutes=1), tick=False):
        html = client.get(reverse("web:case_queue")).content.decode()
    row = html[html.index(f'data-case-id="{case.pk}"') :]
    row = row[: row.index("</tr>")]
    assert "已发出但停滞" in row
    assert "75012345678901" in row
    assert "中通快递" in row


def test_the_parcel_panel_speaks_english_in_the_english_ui(client: Client, desk: Desk) -> None:
    case = _stalled_case(desk)
    client.force_login(desk.world.supervisor)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    with time_machine.travel(NOW, tick=False):
        response = client.get(reverse("web:case_detail", args=[case.pk]))
    html = response.content.decode()
    panel = html[html.index('id="case-logistics"') :]
    panel = panel[: panel.index("</section>")]
    assert "Trace stalled" in panel
    assert "Ask the courier: lost? stuck at a hub? a late update?" in panel
    assert "Collected by the courier" in panel  # the trace's action labels
    assert "向快递核实" not in panel


def _signed_parcel(desk: Desk) -> None:
    """Signed at a parcel locker two days before the bad review."""
    consigned = NOW - 70 * H
    _parcel(
        desk,
        carrier="申通快递",
        tracking_no="773012345678",
        trace=(
            TraceRecord(consigned, "CONSIGN", "卖家已发货"),
            TraceRecord(consigned + 2 * H, "GOT", "已揽收"),
            TraceRecord(consigned + 26 * H, "SIGNED", "已签收，快递柜代收"),
        ),
        at=NOW - 40 * H,
    )


def test_the_order_card_shows_the_parcel_and_the_not_received_button(
    client: Client, desk: Desk
) -> None:
    _signed_parcel(desk)
    client.force_login(desk.world.agent_a)
    html = client.get(reverse("web:case_detail", args=[desk.scarf_case.pk])).content.decode()
    card = html[html.index('id="order-parcel"') :]
    card = card[: card.index("</form>")]
    assert "773012345678" in card
    assert "申通快递" in card
    assert reverse("web:case_not_received", args=[desk.scarf_case.pk]) in card
    assert "买家称未收到" in card


def test_buyer_says_not_received_opens_one_linked_logistics_case(
    client: Client, desk: Desk
) -> None:
    _signed_parcel(desk)
    client.force_login(desk.world.agent_a)
    url = reverse("web:case_not_received", args=[desk.scarf_case.pk])
    with time_machine.travel(NOW, tick=False):
        first = client.post(url, HTTP_HX_REQUEST="true")
        second = client.post(url, HTTP_HX_REQUEST="true")

    opened = Case.objects.get(kind="logistics")
    assert opened.cause == "signed_not_received"
    assert opened.link_key == Case.objects.get(pk=desk.scarf_case.pk).link_key
    assert f"已开物流工单 #{opened.pk}" in first.content.decode()
    assert f"已登记过：物流工单 #{opened.pk}" in second.content.decode()  # nothing more opened
    notes = list(
        desk.scarf_case.events.filter(kind="logistics_changed").values_list("message", flat=True)
    )
    assert notes == [f"买家称包裹已签收但未收到，物流工单 #{opened.pk}"]
    # The button gave way to the note on the order card (swapped out of band).
    assert "买家称该包裹未收到" in second.content.decode()


def test_not_received_is_refused_for_an_unsigned_parcel(client: Client, desk: Desk) -> None:
    _stalled_case(desk)
    client.force_login(desk.world.agent_a)
    response = client.post(
        reverse("web:case_not_received", args=[desk.scarf_case.pk]), HTTP_HX_REQUEST="true"
    )
    assert "not signed" in response.content.decode()
    assert not Case.objects.filter(cause="signed_not_received").exists()


def test_an_agent_of_another_shop_cannot_report_not_received(client: Client, desk: Desk) -> None:
    _signed_parcel(desk)
    client.force_login(desk.world.agent_b)
    response = client.post(reverse("web:case_not_received", args=[desk.scarf_case.pk]))
    assert response.status_code == 404
    assert not Case.objects.filter(kind="logistics").exists()
