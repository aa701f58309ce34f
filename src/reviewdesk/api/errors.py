"""API errors and the one domain-error -> HTTP mapper (STYLE C2: one place per interface)."""

from __future__ import annotations

from enum import StrEnum

from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI

from reviewdesk.core.errors import DomainError


class ApiErrorCode(StrEnum):
    UNKNOWN_USER = "unknown_user"
    UNKNOWN_TOKEN = "unknown_token"  # noqa: S105 - an error code, not a secret


class ApiError(DomainError):
    pass


# Error code value -> HTTP status. Codes are per-app enums, but "not_found" means the same thing
# everywhere: invisible and non-existent look alike (404, never 403: no existence leak).
_STATUS_BY_CODE: dict[str, int] = {
    "not_found": 404,
    "unknown_shop": 404,
    "invalid_filter": 400,
    "not_allowed": 403,
}


def domain_error_status(error: DomainError) -> int:
    return _STATUS_BY_CODE.get(str(error.code), 400)


def install_error_mapper(api: NinjaAPI) -> None:
    def handle(request: HttpRequest, exc: object) -> HttpResponse:
        assert isinstance(exc, DomainError)  # noqa: S101 - registered for DomainError only
        return api.create_response(
            request,
            {"code": str(exc.code), "detail": exc.message},
            status=domain_error_status(exc),
        )

    api.add_exception_handler(DomainError, handle)
