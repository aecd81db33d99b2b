"""The web application: the REST API (`gestae.web.api`) and the pages (`gestae.web.pages`) over one
read-only database handle, with the safety rules every response follows.

- Content-Security-Policy: scripts only from this server (no inline script, no eval), nothing from
  anywhere else; with nosniff, no framing, no referrer sent to other sites.
- Request bodies over `MAX_BODY_BYTES` get 413 before the application reads them.
- A POST from another site's page (an `Origin` that is not this server) gets 403: a page on the web
  must not make a local server store anything.
- Errors are JSON `{"error": ...}` under /api/ and a short HTML page elsewhere; bad query values 400,
  malformed bodies 422, unknown ids 404; never a traceback.
- Every asset is local: our CSS/JS (`gestae/web/static`), plotly.js from the pinned `plotly` package,
  Swagger UI from the pinned `fastapi-offline` package.
"""
from __future__ import annotations

import logging
from contextlib import asynccontextmanager
from pathlib import Path
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from gestae.queries import QueryError
from gestae.web.db import Database

HERE = Path(__file__).resolve().parent
MAX_BODY_BYTES = 2 * 1024 * 1024

CSP = "; ".join([
    "default-src 'self'",
    "script-src 'self'",
    # plotly.js and Swagger UI set styles at run time; no script can come through a style.
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
])
SECURITY_HEADERS = {
    "content-security-policy": CSP,
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    # same-origin, not no-referrer: with no-referrer a browser sends "Origin: null" on our own form POSTs.
    "referrer-policy": "same-origin",
}

log = logging.getLogger("gestae.web")


def vendor_dirs() -> dict[str, Path]:
    """Third-party assets served from the packages that ship them."""
    import fastapi_offline
    import plotly

    return {"plotly": Path(plotly.__file__).resolve().parent / "package_data",
            "swagger": Path(fastapi_offline.__file__).resolve().parent / "static"}


class Guard:
    """ASGI middleware: security headers on every response; body size limit; cross-site POSTs refused."""

    def __init__(self, app: ASGIApp, max_body: int = MAX_BODY_BYTES):
        self.app = app
        self.max_body = max_body

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        api = scope["path"].startswith("/api/")

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = [(k, v) for k, v in message.get("headers", []) if k.decode().lower() not in SECURITY_HEADERS]
                headers += [(k.encode(), v.encode()) for k, v in SECURITY_HEADERS.items()]
                message = {**message, "headers": headers}
            await send(message)

        headers = {k.decode().lower(): v.decode("latin-1") for k, v in scope.get("headers", [])}
        if scope["method"] == "POST" and not _same_origin(headers):
            await _refuse(send_with_headers, 403, "cross-site request refused", api)
            return
        too_large = f"request body too large (limit {self.max_body} bytes)"
        declared = headers.get("content-length", "")
        if declared.isdigit() and int(declared) > self.max_body:
            await _refuse(send_with_headers, 413, too_large, api)
            return
        if scope["method"] in ("POST", "PUT", "PATCH"):
            # Read the body here (bounded), then hand it to the app: chunked bodies are limited too.
            chunks, size = [], 0
            while True:
                message = await receive()
                if message["type"] != "http.request":
                    break
                chunk = message.get("body", b"")
                size += len(chunk)
                if size > self.max_body:
                    await _refuse(send_with_headers, 413, too_large, api)
                    return
                chunks.append(chunk)
                if not message.get("more_body"):
                    break
            body = b"".join(chunks)
            sent = False

            async def replay() -> Message:
                nonlocal sent
                if sent:
                    return await receive()
                sent = True
                return {"type": "http.request", "body": body, "more_body": False}

            await self.app(scope, replay, send_with_headers)
            return
        await self.app(scope, receive, send_with_headers)


def _same_origin(headers: dict[str, str]) -> bool:
    origin = headers.get("origin")
    if origin is None:  # not sent by a page (curl, scripts, the test client)
        return True
    if origin == "null":  # an opaque origin: a sandboxed frame, a file: or data: page
        return False
    return origin.split("://", 1)[-1].rstrip("/") == headers.get("host", "")


async def _refuse(send: Send, status: int, message: str, api: bool) -> None:
    response = _error_response(status, message, api)
    await response({"type": "http"}, _no_body, send)


async def _no_body() -> Message:
    return {"type": "http.request", "body": b"", "more_body": False}


def _error_response(status: int, message: str, api: bool) -> Response:
    if api:
        return JSONResponse({"error": message, "status": status}, status_code=status)
    page = TEMPLATES.get_template("error.html").render(status=status, message=message)
    return HTMLResponse(page, status_code=status)


TEMPLATES = Jinja2Templates(directory=str(HERE / "templates"))


def _validation_message(exc: RequestValidationError) -> tuple[int, str]:
    """Query/path values FastAPI could not convert are bad filter values (400); bodies are 422."""
    errors = exc.errors()
    parts, status = [], 400
    for error in errors:
        where = [str(x) for x in error.get("loc", ())]
        if where and where[0] == "body":
            status = 422
        name = where[-1] if where else "request"
        parts.append(f"{name}: {error.get('msg', 'invalid')}"
                     + (f" (got {error['input']!r})" if "input" in error and where and where[0] != "body" else ""))
    return status, "; ".join(parts) or "invalid request"


def create_app(db_path: str | Path, max_body: int = MAX_BODY_BYTES) -> FastAPI:
    """The application over the database at `db_path` (opened read-only now; GestaeError if it cannot be)."""
    from gestae.web import api, pages

    database = Database(db_path)

    @asynccontextmanager
    async def lifespan(_: FastAPI):
        yield
        database.close()

    app = FastAPI(title="gestae", version="1", docs_url=None, redoc_url=None, lifespan=lifespan,
                  description="PLOVER event data from news: who did what to whom, when, where, "
                              "about what, and who said so. Read-only over one DuckDB database.")
    app.state.db = database
    app.state.templates = TEMPLATES
    app.mount("/static/vendor/plotly", StaticFiles(directory=vendor_dirs()["plotly"]), name="plotly")
    app.mount("/static/vendor/swagger", StaticFiles(directory=vendor_dirs()["swagger"]), name="swagger")
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    app.include_router(api.router)
    app.include_router(pages.router)

    def is_api(request: Request) -> bool:
        return request.url.path.startswith("/api/") or request.url.path == "/openapi.json"

    @app.exception_handler(QueryError)
    async def bad_query(request: Request, exc: QueryError) -> Response:
        return _error_response(400, str(exc), is_api(request))

    @app.exception_handler(RequestValidationError)
    async def bad_request(request: Request, exc: RequestValidationError) -> Response:
        status, message = _validation_message(exc)
        return _error_response(status, message, is_api(request))

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        message = exc.detail if isinstance(exc.detail, str) else "error"
        if exc.status_code == 404 and message == "Not Found":
            message = f"no such page: {request.url.path}"
        return _error_response(exc.status_code, message, is_api(request))

    @app.exception_handler(Exception)
    async def internal_error(request: Request, exc: Exception) -> Response:
        log.error("internal error on %s: %s: %s", request.url.path, exc.__class__.__name__, exc)
        return _error_response(500, f"internal error: {exc.__class__.__name__}", is_api(request))

    @app.get("/docs", include_in_schema=False)
    async def docs() -> HTMLResponse:
        return HTMLResponse(TEMPLATES.get_template("docs.html").render())

    app.add_middleware(Guard, max_body=max_body)
    return app
