"""The REST API: django-ninja at /api/, OpenAPI at /api/openapi.json, Swagger UI at /api/docs.

The docs page is served with Swagger UI files from the ninja package itself (no CDN: the
deployment may have no internet), through the small asset view below, so it works whether or not
"ninja" is in INSTALLED_APPS.
"""

from __future__ import annotations

import json
import mimetypes
from pathlib import Path
from typing import Any

import ninja
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import URLPattern, URLResolver, path, reverse
from ninja import NinjaAPI
from ninja.openapi.docs import DocsBase

from reviewdesk.api.auth import TokenAuth
from reviewdesk.api.cases import router as cases_router
from reviewdesk.api.errors import install_error_mapper
from reviewdesk.api.reviews import router as reviews_router

_ASSET_DIR = Path(ninja.__file__).parent / "static" / "ninja"
_ASSETS = frozenset({"swagger-ui.css", "swagger-ui-bundle.js", "swagger-ui-init.js", "favicon.png"})

DESCRIPTION = """
Read access to the cases (工单) and reviews of the shops you belong to.

**Auth**: `Authorization: Bearer rdk_…`; create a token with `reviewdesk tokens create USERNAME`.
Missing, unknown and revoked tokens get 401.

**Scoping**: you see the shops where you hold an active membership; anything else is 404.
Buyer phone numbers and addresses are masked unless you are supervisor or above in that shop.

**Ids**: `tid`, `oid` and `num_iid` are 64-bit integers. JavaScript numbers lose precision
above 2^53 (9007199254740992), so each comes with a string twin (`tid_str`, `oid_str`): use
that in JavaScript. Money is a decimal string (`"128.00"`), times are ISO 8601 in UTC.
"""


class LocalSwagger(DocsBase):
    """Swagger UI from the files shipped inside django-ninja."""

    def render_page(self, request: HttpRequest, api: NinjaAPI, **kwargs: Any) -> HttpResponse:
        settings = {
            "layout": "BaseLayout",
            "deepLinking": True,
            "url": self.get_openapi_url(api, kwargs),
        }
        assets = {
            name.replace("-", "_").replace(".", "_"): reverse(
                f"{api.urls_namespace}:docs-asset", kwargs={"name": name}
            )
            for name in _ASSETS
        }
        context = {"api": api, "swagger_settings": json.dumps(settings), "assets": assets}
        return render(request, "api/swagger.html", context)


def docs_asset(request: HttpRequest, name: str) -> FileResponse:
    if name not in _ASSETS:
        raise Http404(name)
    content_type, _ = mimetypes.guess_type(name)
    response = FileResponse(
        (_ASSET_DIR / name).open("rb"), content_type=content_type or "application/octet-stream"
    )
    response["Cache-Control"] = "public, max-age=86400"
    return response


class ReviewdeskAPI(NinjaAPI):
    def _get_urls(self) -> list[URLPattern | URLResolver]:
        urls: list[URLPattern | URLResolver] = [
            path("docs/assets/<str:name>", docs_asset, name="docs-asset"),
            *super()._get_urls(),
        ]
        return urls


api = ReviewdeskAPI(
    title="reviewdesk API",
    version="1",
    description=DESCRIPTION,
    docs=LocalSwagger(),
    docs_url="/docs",
    auth=TokenAuth(),
    urls_namespace="api-1",
)
install_error_mapper(api)
api.add_router("/cases", cases_router)
api.add_router("/reviews", reviews_router)
