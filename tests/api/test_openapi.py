from __future__ import annotations

from django.test import Client


def test_schema_lists_the_endpoints_with_bearer_auth(client: Client, db: None) -> None:
    schema = client.get("/api/openapi.json").json()
    assert set(schema["paths"]) == {
        "/api/cases",
        "/api/cases/{case_id}",
        "/api/reviews",
        "/api/reviews/{review_id}",
    }
    assert {"CaseOut", "CaseDetailOut", "ReviewOut", "ReviewDetailOut"} <= set(
        schema["components"]["schemas"]
    )
    assert schema["components"]["securitySchemes"]["TokenAuth"]["scheme"] == "bearer"
    assert "2^53" in schema["info"]["description"]


def test_docs_page_uses_local_assets_only(client: Client, db: None) -> None:
    html = client.get("/api/docs").content.decode()
    assert "/api/docs/assets/swagger-ui-bundle.js" in html
    assert "cdn" not in html.lower()
    asset = client.get("/api/docs/assets/swagger-ui-bundle.js")
    assert asset.status_code == 200
    assert asset["Content-Type"] in {"text/javascript", "application/javascript"}
    asset.close()
    assert client.get("/api/docs/assets/..%2Fsettings.py").status_code == 404
