"""Third-party JavaScript served from installed Python packages: no CDN (ARCHITECTURE: charts).

plotly ships its bundle in `plotly/package_data/plotly.min.js`; serving it from the package
keeps the version locked by uv.lock and the page working offline.
"""

from __future__ import annotations

import importlib.metadata
import importlib.util
from pathlib import Path

from django.http import FileResponse, HttpRequest
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

# Located without importing plotly's Python side (large, and untyped for mypy).
_SPEC = importlib.util.find_spec("plotly")
if _SPEC is None or _SPEC.origin is None:  # a hard dependency (pyproject.toml): fail loudly
    raise ImportError("plotly is not installed; run `make install`")
PLOTLY_JS = Path(_SPEC.origin).parent / "package_data" / "plotly.min.js"
PLOTLY_VERSION = importlib.metadata.version("plotly")


@require_GET
@cache_control(public=True, max_age=7 * 24 * 3600)
def plotly_js(request: HttpRequest) -> FileResponse:
    """The bundle; the URL carries plotly's version, so a week's caching is safe on upgrade."""
    return FileResponse(PLOTLY_JS.open("rb"), content_type="text/javascript; charset=utf-8")
