from __future__ import annotations

import pytest

from reviewdesk.platforms.files.kinds import IMPORT_KINDS, ImportKind, import_kind_get


@pytest.mark.parametrize("name", sorted(IMPORT_KINDS))
def test_every_registered_kind_imports_and_is_complete(name: str) -> None:
    kind = import_kind_get(name)
    assert isinstance(kind, ImportKind)
    assert kind.name == name
    assert kind.label
    assert set(kind.required) <= set(kind.aliases)
    assert all(kind.aliases[field] for field in kind.aliases)
    assert callable(kind.parse_row)
    assert callable(kind.ingest)


def test_unknown_kind_is_a_key_error() -> None:
    with pytest.raises(KeyError):
        import_kind_get("invoices")
