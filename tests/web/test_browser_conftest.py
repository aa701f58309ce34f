"""The browser tests skip where Chromium is missing, and fail instead when CI requires them."""

from __future__ import annotations

import pytest

from tests.web.conftest import require_browser


def test_missing_chromium_skips(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REVIEWDESK_CHROMIUM", "/nonexistent/chromium")
    monkeypatch.delenv("REVIEWDESK_REQUIRE_BROWSER", raising=False)
    with pytest.raises(pytest.skip.Exception, match="/nonexistent/chromium"):
        require_browser()


def test_missing_chromium_fails_when_ci_requires_the_browser(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("REVIEWDESK_CHROMIUM", "/nonexistent/chromium")
    monkeypatch.setenv("REVIEWDESK_REQUIRE_BROWSER", "1")
    with pytest.raises(pytest.fail.Exception, match="REVIEWDESK_REQUIRE_BROWSER=1"):
        require_browser()
