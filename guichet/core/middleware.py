"""Responses that no shared or browser cache may keep; requests that carry a NUL character."""

from __future__ import annotations

from collections.abc import Callable

from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.http import HttpRequest, HttpResponse
from django.http.multipartparser import MultiPartParserError
from django.utils.cache import add_never_cache_headers


class NoStoreMiddleware:
    """Pages, exports and documents carry personal data: `Cache-Control: no-store` on every
    response a view makes (static files are served before this by WhiteNoise, with their own
    long-lived headers). A view that means to be cached sets its own Cache-Control."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if not response.has_header("Cache-Control"):
            add_never_cache_headers(response)
        return response


NUL = "\x00"


def _carries_nul(request: HttpRequest) -> bool:
    """A NUL character anywhere a view could read text: the path, a query parameter's name or
    value, a form field's name or value, an uploaded file's name, or a JSON body (raw or as
    the \\u0000 escape)."""
    if NUL in request.path or NUL in request.path_info:
        return True
    for data in (request.GET, request.POST):
        for name, values in data.lists():
            if NUL in name or any(NUL in value for value in values):
                return True
    for _field, uploads in request.FILES.lists():
        if any(NUL in (upload.name or "") for upload in uploads):
            return True
    if request.content_type == "application/json":
        body = request.body
        return b"\x00" in body or b"\\u0000" in body
    return False


class RejectNulMiddleware:
    """PostgreSQL refuses a NUL character in text (and in JSONB): a request carrying one would
    end in a server error wherever its text reaches a query. It is refused at the edge with
    « Requête invalide » (400), before any view reads it; SQLite would have stored it."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            refused = _carries_nul(request)
        except (
            RequestDataTooBig,
            TooManyFieldsSent,
            TooManyFilesSent,
            UnicodeDecodeError,
            MultiPartParserError,
        ):
            refused = False  # Django answers those itself when the view reads the data
        if refused:
            from django.shortcuts import render

            return render(request, "errors/400.html", status=400)
        return self.get_response(request)
