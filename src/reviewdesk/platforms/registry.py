"""Connector registry: an explicit dict of key -> dotted path, imported lazily (STYLE C9).

No decorator registration: what exists is readable here, and importing this module imports no
connector. `ShopConnection.connector` holds one of these keys. A test walks every entry and checks
it satisfies the `Connector` protocol; adding a platform = a folder + one line here
(docs/howto/add-a-platform.md).
"""

from __future__ import annotations

from typing import cast

from django.utils.module_loading import import_string

from reviewdesk.platforms.connector import Connector

CONNECTORS: dict[str, str] = {
    # The demo shop's live stream: deterministic orders and reviews (docs/demo.md).
    "simulator": "reviewdesk.platforms.simulator.connector.SimulatorConnector",
}


class UnknownConnectorError(LookupError):
    def __init__(self, key: str) -> None:
        known = ", ".join(sorted(CONNECTORS))
        super().__init__(f"unknown connector {key!r}; known: {known}")
        self.key = key


def connector_class(key: str) -> type[Connector]:
    """The connector class registered under `key`; raises UnknownConnectorError otherwise."""
    try:
        path = CONNECTORS[key]
    except KeyError:
        raise UnknownConnectorError(key) from None
    return cast(type[Connector], import_string(path))
