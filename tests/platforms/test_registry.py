"""Every registered connector imports and satisfies the Connector protocol (STYLE C9)."""

from __future__ import annotations

import pytest

from reviewdesk.platforms.connector import Capability, ConnectionInfo, Connector
from reviewdesk.platforms.registry import CONNECTORS, UnknownConnectorError, connector_class


@pytest.mark.parametrize("key", sorted(CONNECTORS))
def test_every_entry_is_a_connector(key: str) -> None:
    cls = connector_class(key)
    assert cls.key == key
    assert cls.capabilities <= set(Capability)
    instance = cls(connection=ConnectionInfo(connection_id=1, shop_slug="shop-a"))
    assert isinstance(instance, Connector)


def test_an_unknown_key_names_the_known_ones() -> None:
    with pytest.raises(UnknownConnectorError, match="simulator"):
        connector_class("taobao-typo")
