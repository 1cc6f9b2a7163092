"""The explorer's web app: a JSON API over a store (read-only) and the bundled front end.

``create_app(db)`` opens the store read-only and returns a FastAPI app; ``serve(db, host, port)`` runs it
with uvicorn. Every request borrows a cursor of a fixed pool on the one read-only connection, every query binds its
parameters, every list is paged (``limit``/``offset``, validated), and a malformed parameter is a 4xx
with a message. No CORS headers are sent, so other origins cannot read the API from a browser.
"""


import asyncio
import datetime
import decimal
import json
import os
import threading
from collections import OrderedDict
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Annotated, Any, AsyncIterator, Literal

import duckdb
from fastapi import Depends, FastAPI, HTTPException, Path as PathParam, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from pydantic import BaseModel, StringConstraints
from starlette.exceptions import HTTPException as StarletteHTTPException

from tacitus.errors import TacitusError
from tacitus.api.explore import FILTER_OPS, EventFilter, Explorer, FullText, TableError, fts_installed, parse_filter

STATIC_DIR = Path(__file__).resolve().parent / "static"
LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1", "[::1]")

# Parameter shapes shared by the endpoints.
_TEXT = r"^[^\x00-\x1f\x7f]+$"  # printable: no control characters
# an actor list ("RUS GOV,AFG INS"): printable, with at least one character that is not a comma or a space
_ACTORS = r"^[^\x00-\x1f\x7f]*[^\x00-\x1f\x7f,\s][^\x00-\x1f\x7f]*$"
# a year 0001-9999, a month, a day that exists in that month (29 February in any year: see calendar_date)
_YEAR = r"(000[1-9]|00[1-9]\d|0[1-9]\d\d|[1-9]\d\d\d)"
_MONTH_DAY = (r"(-(0[1-9]|1[0-2])(-(0[1-9]|1\d|2[0-8]))?|-(0[13-9]|1[0-2])-(29|30)|-(0[13578]|1[02])-31"
              r"|-02-29)")
DATE_PATTERN = rf"^{_YEAR}{_MONTH_DAY}?$"
Date = Annotated[str | None, Query(pattern=DATE_PATTERN,
                                   description="ISO date or prefix: 2021, 2021-07 or 2021-07-15. A `since` after "
                                               "`until` is an empty range; 29 February of a year without one counts as 28 February "
                                               "(until) or 1 March (since).")]
ActorId = Annotated[str | None, Query(max_length=200, pattern=_TEXT, description="An actor id (see /api/actors).")]
Text = Annotated[str | None, Query(min_length=1, max_length=200, pattern=_TEXT, description="Text to look for.")]
Offset = Annotated[int, Query(ge=0, le=10_000_000, description="Rows to skip.")]
Quad = Literal["verbal cooperation", "material cooperation", "verbal conflict", "material conflict"]
Quads = Annotated[list[Quad], Query(description="PLOVER quad classes to keep (repeatable); all when absent.")]
EventType = Annotated[str | None, Query(pattern=r"^[A-Za-z_]{1,40}$", description="A PLOVER event type, e.g. ASSAULT.")]
RecordId = Annotated[str, PathParam(max_length=200, pattern=_TEXT)]
_VALUE_OPS = "|".join(op for op, sql in FILTER_OPS.items() if op not in ("null", "notnull"))
_COLUMN = r"[A-Za-z_][A-Za-z0-9_]{0,63}"
TableFilters = Annotated[list[Annotated[str, StringConstraints(
    pattern=rf"^{_COLUMN}:(({_VALUE_OPS}):[^\x00-\x1f\x7f]{{0,200}}|null|notnull)$")]], Query(
    max_length=20, description="Filters, all of which a row meets (repeatable): `column:op:value` with op one of "
                f"{', '.join(op for op in FILTER_OPS if op not in ('null', 'notnull'))} (the value is cast to the "
                "column's type; one that is not of it matches nothing, and `problems` says so), or `column:null`, "
                "`column:notnull`.")]
SortColumn = Annotated[str | None, Query(pattern=rf"^{_COLUMN}$", description="The column to sort by.")]
TableName = Annotated[str, PathParam(pattern=rf"^{_COLUMN}$", description="A table of the store (see /api/tables).")]


def _limit(default: int, maximum: int, what: str = "Rows"):
    return Query(default, ge=1, le=maximum, description=f"{what} to return (1-{maximum}).")


class ErrorBody(BaseModel):
    """Every error answer: one line saying what is wrong."""

    error: str


class ValidationProblem(BaseModel):
    loc: list[str | int]
    msg: str
    type: str


class ValidationErrorBody(BaseModel):
    """A parameter that does not fit the API's schema: the one-line message, then each problem."""

    error: str
    detail: list[ValidationProblem]


#: Documented on every operation: the answers any request may get besides its 200.
ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    400: {"model": ErrorBody, "description": "Refused: a Host header that is not a loopback name while the "
                                             "explorer is bound to loopback, or a value the store cannot use."},
    422: {"model": ValidationErrorBody, "description": "A parameter does not fit this schema."},
}
#: Documented on operations that look up one record (or two actors).
NOT_FOUND: dict[int | str, dict[str, Any]] = {404: {"model": ErrorBody, "description": "No such record."}}


def calendar_date(name: str, value: str | None) -> str | None:
    """The date a ``since``/``until`` value means. Only 29 February of a year that has none fits the
    pattern and is no date: as ``until`` it means up to 28 February, as ``since`` from 1 March."""
    if value and value.endswith("-02-29"):
        year = int(value[:4])
        if not (year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)):
            return f"{value[:4]}-02-28" if name == "until" else f"{value[:4]}-03-01"
    return value


def _json_default(value: Any) -> Any:
    if isinstance(value, (datetime.date, datetime.time)):  # datetime too
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return float(value)
    if isinstance(value, (set, frozenset, tuple)):
        return list(value)
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    return str(value)  # UUID, ...


class FastJSONResponse(JSONResponse):
    """JSON rendered straight from the query's rows (dates as ISO text): FastAPI's own path runs every
    answer through ``jsonable_encoder`` first, which took 12 ms of the 14 for 2,000 timeline events."""

    def render(self, content: Any) -> bytes:
        return json.dumps(content, ensure_ascii=False, allow_nan=False, separators=(",", ":"),
                          default=_json_default).encode("utf-8")


def json_response(content: Any) -> FastJSONResponse:
    return FastJSONResponse(content)


def _first_line(exc: BaseException) -> str:
    return str(exc).splitlines()[0] if str(exc) else exc.__class__.__name__


class CursorPool:
    """A fixed set of cursors on the one read-only connection, lent one per request: at most ``size``
    queries run at once (more would only share the same cores and wait on each other), the others wait
    for a cursor without holding a worker thread (the wait is on the event loop), and no cursor is made
    or closed per request."""

    def __init__(self, con: duckdb.DuckDBPyConnection, size: int, wait_s: float = 30.0):
        self.size = max(1, size)
        self.wait_s = wait_s
        self._con = con
        self._free = [con.cursor() for _ in range(self.size)]
        self._all = list(self._free)
        self._gates: dict[int, asyncio.Semaphore] = {}  # one per event loop (a test client may run several)

    async def lend(self) -> AsyncIterator[duckdb.DuckDBPyConnection]:
        gate = self._gates.setdefault(id(asyncio.get_running_loop()), asyncio.Semaphore(self.size))
        try:
            await asyncio.wait_for(gate.acquire(), self.wait_s)
        except TimeoutError:
            raise HTTPException(503, f"the explorer is busy: no database cursor free within {self.wait_s:g} s") from None
        cur = self._free.pop() if self._free else self._con.cursor()
        try:
            yield cur
        finally:
            self._free.append(cur)
            gate.release()

    def close(self) -> None:
        for cur in self._all:
            try:
                cur.close()
            except duckdb.Error:
                pass


class ResponseCache:
    """ASGI middleware: answers of ``GET /api/...`` with status 200 kept by path and query string, up to
    ``max_bytes`` in all (least recently used out first). Sound because the store cannot change while
    the explorer holds it: it is opened read-only, and DuckDB's file lock refuses every writer until
    the explorer stops. Sits inside the Host check and the security headers, which every answer passes."""

    MAX_ONE = 4 * 1024 * 1024  # a bigger answer is not kept

    def __init__(self, app, max_bytes: int, stats: dict[str, int] | None = None) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.size = 0
        self._items: OrderedDict[bytes, tuple[dict, list[dict]]] = OrderedDict()
        self._lock = threading.Lock()
        self.stats = stats if stats is not None else {}
        self.stats.update(hits=0, kept=0)

    async def __call__(self, scope, receive, send) -> None:
        if (scope["type"] != "http" or scope["method"] != "GET" or self.max_bytes <= 0
                or not scope["path"].startswith("/api/")):
            await self.app(scope, receive, send)
            return
        key = scope.get("raw_path", scope["path"].encode()) + b"?" + scope.get("query_string", b"")
        with self._lock:
            found = self._items.get(key)
            if found is not None:
                self._items.move_to_end(key)
                self.stats["hits"] += 1
        if found is not None:
            start, bodies = found
            await send({**start, "headers": list(start.get("headers", []))})  # a copy: outer layers add headers
            for message in bodies:
                await send(message)
            return
        start_msg: dict | None = None
        bodies: list[dict] = []
        size = 0

        async def keep(message) -> None:
            nonlocal start_msg, size
            if message["type"] == "http.response.start":
                start_msg = message
            elif message["type"] == "http.response.body":
                bodies.append(message)
                size += len(message.get("body", b""))
            await send(message)

        await self.app(scope, receive, keep)
        if start_msg is None or start_msg.get("status") != 200 or size > self.MAX_ONE:
            return
        if bodies and bodies[-1].get("more_body", False):
            return  # not finished
        with self._lock:
            if key not in self._items:
                self._items[key] = ({**start_msg, "headers": list(start_msg.get("headers", []))}, bodies)
                self.size += size + len(key)
                self.stats["kept"] += 1
                while self.size > self.max_bytes and self._items:
                    old_key, (_start, old) = self._items.popitem(last=False)
                    self.size -= sum(len(m.get("body", b"")) for m in old) + len(old_key)


def create_app(db: str | os.PathLike[str], allowed_hosts: tuple[str, ...] | None = None,
               static_dir: str | os.PathLike[str] | None = None, cursors: int = 4,
               cache_mb: float = 64) -> FastAPI:
    """The explorer app over the store at ``db`` (opened read-only now: a missing or incompatible store
    raises :class:`tacitus.errors.StoreError` here, not on the first request). ``allowed_hosts`` limits
    the ``Host`` header (``serve`` passes the loopback names when bound to loopback, against DNS
    rebinding); ``static_dir`` is the built front end (default: the package's ``static`` folder);
    ``cursors`` is how many queries run at once (:class:`CursorPool`); ``cache_mb`` how many megabytes
    of API answers are kept (:class:`ResponseCache`; 0: none)."""
    import tacitus

    database = tacitus.open(db)
    # Defence in depth: the connection is read-only already; also no file or network access from SQL
    # (no COPY ... TO, read_csv('/etc/...'), ATTACH or INSTALL). DuckDB cannot turn it back on while
    # the database is open; in one process, every connection to the same file shares the setting.
    con = database.store.con
    if con.execute("SELECT current_setting('enable_external_access')").fetchone()[0]:
        con.execute("SET enable_external_access = false")
    static = Path(static_dir) if static_dir else STATIC_DIR
    state: dict[str, Any] = {"fulltext": None}
    lock = threading.Lock()

    @asynccontextmanager
    async def lifespan(_app: FastAPI):
        yield
        if state["fulltext"] is not None:
            state["fulltext"].close()
        pool.close()
        database.close()

    app = FastAPI(
        title="Tacitus explorer API",
        version=tacitus.__version__,
        description="Read-only JSON over a Tacitus store: actors, their network, events for the timeline and the map, "
                    "quotes, claims and disputes, and articles with every extraction and its character offsets.",
        lifespan=lifespan,
        responses=ERROR_RESPONSES,
        # FastAPI's /docs and /redoc pages load their scripts from a CDN; the explorer's own API view
        # (/#api) shows the same OpenAPI document offline.
        docs_url=None,
        redoc_url=None,
    )
    app.state.database = database

    pool = CursorPool(database.store.con, cursors)

    async def explorer() -> AsyncIterator[Explorer]:
        """The Python API's explorer queries over the cursor lent to this request."""
        async for cur in pool.lend():
            yield database.explorer(cur)

    Ex = Annotated[Explorer, Depends(explorer)]

    with database.store.con.cursor() as cur:
        fts = fts_installed(cur)

    def fulltext(cur) -> FullText | None:
        if not fts:
            return None
        with lock:
            if state["fulltext"] is None:
                try:
                    state["fulltext"] = FullText(cur)
                except duckdb.Error:
                    return None
            return state["fulltext"]

    # -- errors: always JSON with a one-line message ---------------------------------------------
    @app.exception_handler(RequestValidationError)
    async def invalid(_request: Request, exc: RequestValidationError):
        problems = []
        for err in exc.errors():
            where = ".".join(str(p) for p in err.get("loc", ()) if p not in ("query", "path"))
            problems.append(f"{where}: {err.get('msg')}" if where else str(err.get("msg")))
        return JSONResponse({"error": "; ".join(problems) or "invalid request",
                             "detail": [{"loc": list(e.get("loc", ())), "msg": str(e.get("msg")),
                                         "type": str(e.get("type") or "value_error")} for e in exc.errors()]},
                            status_code=422)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(_request: Request, exc: StarletteHTTPException):
        return JSONResponse({"error": exc.detail}, status_code=exc.status_code, headers=getattr(exc, "headers", None))

    @app.exception_handler(TacitusError)
    async def bad_request(_request: Request, exc: TacitusError):
        return JSONResponse({"error": str(exc)}, status_code=400)

    @app.exception_handler(duckdb.Error)
    async def db_error(_request: Request, exc: duckdb.Error):
        return JSONResponse({"error": f"database error: {_first_line(exc)}"}, status_code=500)

    # innermost: added before the Host check and the security headers, so that every answer passes them
    app.state.cache_stats = {}
    app.add_middleware(ResponseCache, max_bytes=int(cache_mb * 1024 * 1024), stats=app.state.cache_stats)

    @app.middleware("http")
    async def headers(request: Request, call_next):
        if allowed_hosts is not None:
            raw = request.headers.get("host", "")
            host = raw[: raw.find("]") + 1] if raw.startswith("[") else raw.split(":")[0]
            if host not in allowed_hosts:
                return JSONResponse({"error": f"host {host!r} not allowed"}, status_code=400)
        response = await call_next(request)
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["X-Frame-Options"] = "DENY"
        response.headers["Referrer-Policy"] = "no-referrer"
        response.headers["Content-Security-Policy"] = (
            "default-src 'self'; img-src 'self' data: blob:; style-src 'self' 'unsafe-inline'; "
            "script-src 'self'; connect-src 'self'; frame-ancestors 'none'")
        if request.url.path.startswith("/api/"):
            response.headers["Cache-Control"] = "no-store"
        return response

    # -- API -------------------------------------------------------------------------------------
    @app.get("/api/summary", summary="What the store holds")
    def summary(ex: Ex) -> dict[str, Any]:
        found = ex.summary()
        found["search_engine"] = "fts" if fts else "substring"
        found["database"] = Path(database.path).name
        return json_response(found)

    @app.get("/api/actors", summary="Actors, most active first")
    def actors(ex: Ex, q: Text = None, limit: int = _limit(50, 500), offset: Offset = 0) -> dict[str, Any]:
        return json_response(ex.actors(q, limit, offset))

    @app.get("/api/actors/{actor_id}", responses=NOT_FOUND, summary="One actor: roles, events by quad class, partners")
    def actor(ex: Ex, actor_id: RecordId) -> dict[str, Any]:
        found = ex.actor(actor_id)
        if found is None:
            raise HTTPException(404, f"no actor {actor_id!r}")
        return json_response(found)

    def event_filter(actor: ActorId = None, since: Date = None, until: Date = None,
                     quad: Quads = [], type: EventType = None) -> EventFilter:  # noqa: B006 (FastAPI reads it)
        since, until = calendar_date("since", since), calendar_date("until", until)
        return EventFilter(actor=actor, since=since, until=until, quads=tuple(dict.fromkeys(quad)), type=type)

    Filter = Annotated[EventFilter, Depends(event_filter)]

    @app.get("/api/network", summary="Actor network: nodes sized by events, edges by cooperation and conflict")
    def network(ex: Ex, flt: Filter, max_edges: int = _limit(400, 5000, "Links (the strongest first)"),
                min_events: int = Query(1, ge=1, le=10_000, description="Drop edges with fewer events."),
                include_negated: bool = Query(False, description="Count negated events (\"did not attack\").")
                ) -> dict[str, Any]:
        flt = EventFilter(**{**flt.__dict__, "include_negated": include_negated})
        return json_response(ex.network(flt, max_edges, min_events))

    @app.get("/api/dyad", summary="Two actors' relation per period (the corpus view's dyad, over merged events)")
    def dyad(ex: Ex, a: Annotated[str, Query(min_length=1, max_length=200, pattern=_ACTORS,
                                               description="An actor id, name or code (or several, comma-separated).")],
             b: Annotated[str, Query(min_length=1, max_length=200, pattern=_ACTORS,
                                     description="Another actor (the same one gives its events with itself).")],
             by: Literal["day", "month", "year"] = Query("year", description="Period."),
             since: Date = None, until: Date = None) -> dict[str, Any]:
        since, until = calendar_date("since", since), calendar_date("until", until)
        return json_response(ex.dyad(a, b, by, since, until))

    @app.get("/api/events", summary="Events in date order (undated last), with their sentence")
    def events(ex: Ex, flt: Filter, dated: bool = Query(False, description="Only events with a date."),
               merged: bool = Query(False, description="One event per cross-article cluster (its first report)."),
               brief: bool = Query(False, description="Only the fields a timeline draws (/api/events/{id} has all)."),
               limit: int = _limit(200, 5000), offset: Offset = 0) -> dict[str, Any]:
        return json_response(ex.events(flt, dated, limit, offset, merged, brief))

    @app.get("/api/events/{event_id}", responses=NOT_FOUND, summary="One event")
    def event(ex: Ex, event_id: RecordId) -> dict[str, Any]:
        found = ex.event(event_id)
        if found is None:
            raise HTTPException(404, f"no event {event_id!r}")
        return json_response(found)

    @app.get("/api/map", summary="Events at the place named in their sentence, grouped by place")
    def event_map(ex: Ex, flt: Filter, limit: int = _limit(1000, 5000, "Places (the busiest first)"),
                  include_negated: bool = Query(False, description="Include negated events.")) -> dict[str, Any]:
        flt = EventFilter(**{**flt.__dict__, "include_negated": include_negated})
        return json_response(ex.event_map(flt, limit))

    @app.get("/api/quotes", summary="Quotes with speakers and their roles (since/until: the article's publication "
                                    "date; `undated` counts those left out for having none)")
    def quote_list(ex: Ex, actor: ActorId = None, q: Text = None,
                   kind: Literal["direct", "indirect"] | None = Query(None, description="direct or indirect"),
                   merged: bool = Query(False, description="One quote per cross-article cluster (its first report)."),
                   since: Date = None, until: Date = None,
                   limit: int = _limit(50, 500), offset: Offset = 0) -> dict[str, Any]:
        since, until = calendar_date("since", since), calendar_date("until", until)
        return json_response(ex.quotes(actor, q, kind, limit, offset, merged, since, until))

    @app.get("/api/disputes", summary="Disputed propositions: who alleges, who denies, since when (since/until: the "
                                      "claims' dates; `undated` counts those left out for having none)")
    def dispute_list(ex: Ex, actor: ActorId = None, q: Text = None,
                     contested: bool = Query(False, description="Only propositions both alleged and denied."),
                     since: Date = None, until: Date = None,
                     limit: int = _limit(50, 500), offset: Offset = 0) -> dict[str, Any]:
        since, until = calendar_date("since", since), calendar_date("until", until)
        return json_response(ex.disputes(actor, q, contested, limit, offset, since, until))

    @app.get("/api/disputes/{dispute_id}", responses=NOT_FOUND, summary="One dispute with its claims")
    def dispute(ex: Ex, dispute_id: RecordId) -> dict[str, Any]:
        found = ex.dispute(dispute_id)
        if found is None:
            raise HTTPException(404, f"no dispute {dispute_id!r}")
        return json_response(found)

    @app.get("/api/articles", summary="Articles, oldest first (since/until: the publication date; `undated` counts "
                                      "those left out for having none)")
    def article_list(ex: Ex, actor: ActorId = None, q: Text = None,
                     status: str | None = Query(None, pattern=r"^[a-z_]{1,40}$", description="ok, duplicate, ..."),
                     since: Date = None, until: Date = None,
                     limit: int = _limit(50, 500), offset: Offset = 0) -> dict[str, Any]:
        since, until = calendar_date("since", since), calendar_date("until", until)
        return json_response(ex.articles(actor, q, status, limit, offset, since, until))

    @app.get("/api/articles/{article_id}", responses=NOT_FOUND, summary="One article: text and every extraction with its offsets")
    def article(ex: Ex, article_id: RecordId) -> dict[str, Any]:
        found = ex.article(article_id)
        if found is None:
            raise HTTPException(404, f"no article {article_id!r}")
        return json_response(found)

    @app.get("/api/trends", summary="Event volume, tone and intensity per day, month or year for the selection, "
                                    "in all and per quad class (`undated`: events left out for having no date)")
    def trends(ex: Ex, flt: Filter, by: Literal["day", "month", "year"] = Query("month", description="Period."),
               merged: bool = Query(True, description="Count an event told by several articles once."),
               include_negated: bool = Query(False, description="Count negated events.")) -> dict[str, Any]:
        flt = EventFilter(**{**flt.__dict__, "include_negated": include_negated})
        return json_response(ex.trends(flt, by, merged))

    @app.get("/api/tables", summary="The store's tables: row counts and columns")
    def table_list(ex: Ex) -> list[dict[str, Any]]:
        return json_response(ex.tables())

    def _filters(values: list[str]) -> list[tuple[str, str, str | None]]:
        return [parse_filter(v) for v in dict.fromkeys(values)]

    @app.get("/api/tables/{table}", responses=NOT_FOUND,
             summary="A page of any table: filters, sort, facets (the ten commonest values of a column)")
    def table_page(ex: Ex, table: TableName, where: TableFilters = [],  # noqa: B006 (FastAPI reads it)
                   sort: SortColumn = None, desc: bool = Query(False, description="Sort descending."),
                   facet: Annotated[list[Annotated[str, StringConstraints(pattern=rf"^{_COLUMN}$")]], Query(max_length=10,
                                                     description="Columns to facet (repeatable).")] = [],  # noqa: B006
                   limit: int = _limit(50, 500), offset: Offset = 0) -> dict[str, Any]:
        try:
            return json_response(ex.table_page(table, _filters(where), sort, desc, facet, limit, offset))
        except TableError as exc:
            raise HTTPException(404, str(exc)) from None

    @app.get("/api/tables/{table}/csv", responses={**NOT_FOUND, 200: {"content": {"text/csv": {}},
                                                                      "description": "The rows as CSV."}},
             response_class=Response, summary="The rows of a table view (its filters and sort) as CSV, values whole")
    def table_csv(ex: Ex, table: TableName, where: TableFilters = [],  # noqa: B006 (FastAPI reads it)
                  sort: SortColumn = None, desc: bool = Query(False, description="Sort descending."),
                  limit: int = _limit(100_000, 1_000_000)) -> Response:
        import tempfile

        from starlette.background import BackgroundTask
        from starlette.responses import FileResponse

        fd, name = tempfile.mkstemp(prefix="tacitus-csv-", suffix=".csv")
        os.close(fd)
        try:  # written in batches to a file and streamed from it: memory holds one batch, not the table
            ex.write_table_csv(name, table, _filters(where), sort, desc, limit)
        except TableError as exc:
            os.unlink(name)
            raise HTTPException(404, str(exc)) from None
        except BaseException:
            os.unlink(name)
            raise
        return FileResponse(name, media_type="text/csv; charset=utf-8", filename=f"{table}.csv",
                            background=BackgroundTask(os.unlink, name))

    @app.get("/api/search", summary="Search article text and actors")
    def search(ex: Ex, q: Annotated[str, Query(min_length=1, max_length=200, pattern=_TEXT)],
               limit: int = _limit(20, 200)) -> dict[str, Any]:
        return json_response(ex.search(q.strip() or q, limit, fulltext(ex.cur)))

    @app.get("/api/{rest:path}", include_in_schema=False)
    def unknown(rest: str) -> None:
        raise HTTPException(404, f"no API endpoint /api/{rest}")

    app.add_middleware(HeadAsGet)

    # -- front end ---------------------------------------------------------------------------------
    if (static / "index.html").is_file():
        app.mount("/", StaticFiles(directory=static, html=True), name="static")
    else:
        @app.get("/", include_in_schema=False)
        def not_built() -> HTMLResponse:
            return HTMLResponse("<h1>Tacitus explorer</h1><p>The front end is not built: run <code>make web</code> "
                                "(npm ci and the Vite build). The JSON API is described by <a href='/openapi.json'>/openapi.json</a>.</p>",
                                status_code=503)
    return app


class HeadAsGet:
    """ASGI middleware: ``HEAD`` is answered for every ``GET`` resource (the API's routes too, not only the
    static files): the request runs as ``GET`` and the answer keeps its status and headers (with the
    ``Content-Length`` of the body it would have) and drops the body."""

    def __init__(self, app) -> None:
        self.app = app

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http" or scope["method"] != "HEAD":
            await self.app(scope, receive, send)
            return

        async def send_headers_only(message) -> None:
            if message["type"] == "http.response.body":
                if not message.get("more_body", False):
                    await send({"type": "http.response.body", "body": b"", "more_body": False})
                return
            await send(message)

        await self.app({**scope, "method": "GET"}, receive, send_headers_only)


def allowed_hosts_for(host: str) -> tuple[str, ...] | None:
    """The ``Host`` headers to accept when bound to ``host``: the loopback names when it is loopback (so a
    page elsewhere cannot reach the API through DNS rebinding), anything otherwise."""
    loopback = host in LOOPBACK_HOSTS or host.startswith("127.")
    return (*LOOPBACK_HOSTS, host) if loopback else None


def serve(db: str | os.PathLike[str], host: str = "127.0.0.1", port: int = 8765, app: FastAPI | None = None) -> None:
    """Run the explorer (``app``, or one made for ``db``) with uvicorn until interrupted."""
    import uvicorn

    from tacitus.web.server import MAX_HEAD_BYTES, BoundedHeadProtocol

    app = app or create_app(db, allowed_hosts=allowed_hosts_for(host))
    uvicorn.run(app, host=host, port=port, log_level="warning", http=BoundedHeadProtocol,
                h11_max_incomplete_event_size=2 * MAX_HEAD_BYTES)
