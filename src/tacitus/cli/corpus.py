"""Corpus-view commands: merged events, timeline, dyads, actor profiles, read-only SQL, network and GDELT
exports, and plots. Each opens the store read-only, calls :mod:`tacitus.api.corpus`, and prints or writes."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Optional

import typer

from tacitus.cli.app import DB_OPTION, _check_format, _fail, app, date_value, note_undated
from tacitus.cli.render import write_frame
from tacitus.errors import TacitusError

_HIDE = ("article_ids", "event_ids", "date_start", "date_end", "source_actor_id", "target_actor_id", "url")


def _emit(df, fmt: str, title: str = "", columns: list[str] | None = None) -> None:
    write_frame(df, fmt, lambda frame: _table(frame, title, columns))


def _table(df, title: str, columns: list[str] | None = None) -> None:
    """A frame as a table, or, where its columns cannot each keep their words whole at the console's width
    (many columns in 80), as one block per row, "column  value" a line (psql's expanded display)."""
    from tacitus.cli.render import Console, Table

    df = _with_actors(df)
    cols = [c for c in (columns or list(df.columns)) if c in df.columns]
    console = Console()
    cells = {c: [_cell(v) for v in df[c].tolist()] for c in cols}
    needed = sum(max([len(c)] + [min(20, max((len(w) for w in v.split()), default=0)) for v in cells[c]]) + 3
                 for c in cols) + 1
    if cols and not df.empty and needed > console.width:
        _blocks(console, title, cols, cells, len(df))
        return
    t = Table(title=title or None, show_lines=False)
    for c in cols:
        t.add_column(c, overflow="fold")
    for row in df[cols].itertuples(index=False):
        t.add_row(*[_cell(v) for v in row])
    Console().print(t)
    if df.empty:
        typer.echo("(nothing)")


def _blocks(console, title: str, cols: list[str], cells: dict[str, list[str]], n: int) -> None:
    import textwrap

    key = max(len(c) for c in cols)
    width = max(20, console.width - key - 2)
    out = [title] if title else []
    for i in range(n):
        out.append(f"-[ {i + 1} ]" + "-" * max(0, min(console.width, 60) - len(str(i + 1)) - 5))
        for c in cols:
            lines = textwrap.wrap(cells[c][i], width, break_long_words=True, break_on_hyphens=False) or [""]
            out.append(f"{c.ljust(key)}  {lines[0]}")
            out.extend(" " * (key + 2) + rest for rest in lines[1:])
    console.print("\n".join(out), highlight=False, markup=False, soft_wrap=True)


def _with_actors(df):
    """For display: 'source' and 'target' as "name [CODE]" where a frame has the separate columns."""
    if df.empty:
        return df
    out = df
    for side in ("source", "target"):
        name, code = f"{side}_name", f"{side}_code"
        if name in df.columns and code in df.columns and side not in df.columns:
            out = out.copy() if out is df else out
            out[side] = [(f"{n or '?'} [{c}]" if c else (n or "")) for n, c in zip(df[name], df[code])]
    return out


def number(v: float) -> str:
    """A number as a reader writes it: whole numbers in full with thousands separators (2,000,000, not
    2e+06), others with 2 decimals (below 1: 4 significant digits)."""
    if v == int(v) and abs(v) < 1e15:
        return f"{int(v):,}"
    return f"{v:,.2f}".rstrip("0").rstrip(".") if abs(v) >= 1 else f"{v:.4g}"


def _span(first: Any, last: Any) -> str:
    """" (1989 to 2021)", " (1989)" or "" when there is no date."""
    if not first and not last:
        return ""
    if first == last or not last or not first:
        return f" ({first or last})"
    return f" ({first} to {last})"


def _cell(v: Any) -> str:
    if v is None:
        return ""
    if hasattr(v, "tolist"):
        v = v.tolist()
    if isinstance(v, float):
        return "" if v != v else number(v)
    if isinstance(v, (list, tuple)):
        return ", ".join(map(str, v))
    return str(v)


def _open(db: Path):
    from tacitus.api.reader import open_db

    return open_db(db)


_CLUSTER_VIEW = ["date", "type", "mode", "source", "target", "intensity", "mentions", "articles", "outlets",
                 "historical", "first_reported", "id"]


@app.command()
def clusters(
    db: Path = DB_OPTION,
    actor: Optional[str] = typer.Option(None, "--actor", help='Either side: code ("RUS", "AFG-INS"), id or name.'),
    source: Optional[str] = typer.Option(None, "--source", help="Source actor: code, id or name."),
    target: Optional[str] = typer.Option(None, "--target", help="Target actor: code, id or name."),
    type_: Optional[str] = typer.Option(None, "--type", help="PLOVER event type (ASSAULT, AGREE, ...)."),
    quad: Optional[str] = typer.Option(None, "--quad", help="Quad class, or cooperation / conflict."),
    since: Optional[str] = typer.Option(None, "--since", callback=date_value, help="On or after this date (YYYY, YYYY-MM, YYYY-MM-DD)."),
    until: Optional[str] = typer.Option(None, "--until", callback=date_value, help="On or before this date."),
    min_articles: int = typer.Option(1, "--min-articles", help="Only events reported by at least this many articles."),
    undated: Optional[bool] = typer.Option(None, "--undated/--dated-only", help="With --since/--until, also list "
                                           "undated events (last); left out, and counted, by default."),
    cluster_id: Optional[str] = typer.Option(None, "--id", help="Show one merged event: its mentions and every report."),
    quotes: bool = typer.Option(False, "--quotes", help="List merged quotes instead (most reported first)."),
    speaker: Optional[str] = typer.Option(None, "--speaker", help="With --quotes: the speaker (code, id or name)."),
    limit: Optional[int] = typer.Option(None, "--limit", help="At most this many events."),
    fmt: str = typer.Option("table", "--format", "-f", help="table, jsonl or csv."),
) -> None:
    """Merged events: one row per real-world event with its mentions, articles and outlets (or, with
    --quotes, one row per quote repeated across articles)."""
    _check_format(fmt)
    try:
        with _open(db) as d:
            if quotes:
                df = d.quote_clusters(speaker=speaker, min_articles=min_articles, limit=limit)
                _emit(df, fmt, "merged quotes", ["first_reported", "speaker", "speaker_code", "kind", "text",
                                                 "mentions", "articles", "outlets", "copies", "id"])
                return
            if cluster_id:
                info = d.cluster(cluster_id)
                if fmt != "table":
                    _emit(info["mentions"], fmt)
                    return
                ev = info["event"]
                typer.echo(f"{ev['date'] or 'undated'}  {ev['type']}  {ev['source_name'] or '?'} [{ev['source_code'] or ''}]"
                           f" -> {ev['target_name'] or '?'} [{ev['target_code'] or ''}]  {ev['mentions']} mentions, "
                           f"{ev['articles']} articles, {ev['outlets']} outlets, {ev['copies']} copies")
                _table(info["mentions"], "mentions", ["article_published", "article_outlet", "type", "date", "trigger",
                                                       "sentence_text"])
                _table(info["reports"], "reports", ["published", "outlet", "title", "status", "copy_of", "source_path"])
                return
            df = d.event_clusters(actor=actor, source=source, target=target, type=type_, quad=quad, since=since,
                                  until=until, min_articles=min_articles, include_undated=undated, limit=limit)
    except TacitusError as exc:
        _fail(str(exc))
        return
    _emit(df.drop(columns=[c for c in _HIDE if c in df.columns]) if fmt == "csv" else df, fmt, "merged events",
          _CLUSTER_VIEW)
    note_undated(df, "merged event")


@app.command()
def timeline(
    db: Path = DB_OPTION,
    actor: Optional[str] = typer.Option(None, "--actor", help='Only events with this actor on either side (code, id or name).'),
    since: Optional[str] = typer.Option(None, "--since", callback=date_value, help="On or after this date (YYYY, YYYY-MM, YYYY-MM-DD)."),
    until: Optional[str] = typer.Option(None, "--until", callback=date_value, help="On or before this date."),
    type_: Optional[str] = typer.Option(None, "--type", help="PLOVER event type."),
    quad: Optional[str] = typer.Option(None, "--quad", help="Quad class, or cooperation / conflict."),
    min_articles: int = typer.Option(1, "--min-articles", help="Only events reported by at least this many articles."),
    undated: bool = typer.Option(False, "--undated", help="Also list undated events (last)."),
    limit: Optional[int] = typer.Option(None, "--limit", help="At most this many events."),
    fmt: str = typer.Option("table", "--format", "-f", help="table, jsonl or csv."),
) -> None:
    """Merged events in the order they happened; historical events stand at their own dates."""
    _check_format(fmt)
    try:
        with _open(db) as d:
            df = d.timeline(actor=actor, since=since, until=until, type=type_, quad=quad, min_articles=min_articles,
                            include_undated=undated, limit=limit)
    except TacitusError as exc:
        _fail(str(exc))
        return
    _emit(df.drop(columns=[c for c in _HIDE if c in df.columns]) if fmt == "csv" else df, fmt,
          f"timeline{' of ' + actor if actor else ''}", _CLUSTER_VIEW)
    note_undated(df, "merged event")


@app.command()
def dyad(
    a: str = typer.Argument(..., help='First actor: code ("RUS", "AFG-INS"), id or name; "RUS,SUN" for either.'),
    b: str = typer.Argument(..., help="Second actor, the same way."),
    db: Path = DB_OPTION,
    by: str = typer.Option("month", "--by", help="Period: day, month or year."),
    since: Optional[str] = typer.Option(None, "--since", callback=date_value, help="From this date (YYYY, YYYY-MM, YYYY-MM-DD)."),
    until: Optional[str] = typer.Option(None, "--until", callback=date_value, help="Up to this date."),
    directed: bool = typer.Option(False, "--directed", help="Only events from A to B."),
    show: str = typer.Option("summary", "--show", help="summary (periods, then events, quotes, disputes), periods, "
                                                       "types, events, quotes or disputes."),
    fmt: str = typer.Option("table", "--format", "-f", help="table, jsonl or csv."),
) -> None:
    """Two actors over time: events by quad class and type per period, intensity and tone, their merged
    events, their quotes about each other and their disputes."""
    _check_format(fmt)
    views = ("summary", "periods", "types", "events", "quotes", "disputes")
    if show not in views:
        _fail(f"unknown view {show!r}; choose {', '.join(views)}")
    if fmt != "table" and show == "summary":
        show = "periods"
    try:
        with _open(db) as d:
            for who in (a, b):
                if d.find_actors(who).empty:
                    typer.echo(f"tacitus: warning: no actor in the store matches {who!r}", err=True)
            frames = {}
            if show in ("summary", "periods"):
                frames["periods"] = d.dyad(a, b, by=by, since=since, until=until, directed=directed)
            if show == "types":
                frames["types"] = d.dyad_types(a, b, by=by, since=since, until=until, directed=directed)
            if show in ("summary", "events"):
                frames["events"] = d.dyad_events(a, b, since=since, until=until, directed=directed)
            if show in ("summary", "quotes"):
                frames["quotes"] = d.dyad_quotes(a, b)
            if show in ("summary", "disputes"):
                frames["disputes"] = d.dyad_disputes(a, b)
    except TacitusError as exc:
        _fail(str(exc))
        return
    if fmt != "table":
        df = frames[show]
        _emit(df.drop(columns=[c for c in _HIDE if c in df.columns]) if fmt == "csv" else df, fmt)
        if "periods" in frames:
            note_undated(frames["periods"], "merged event", "a dyad counts dated events only")
        return
    cols = {
        "periods": ["period", "events", "a_to_b", "b_to_a", "cooperation", "conflict", "balance", "intensity",
                    "types", "articles", "tone", "tone_sentences"],
        "types": ["period", "type", "quad", "events", "mentions", "articles", "intensity"],
        "events": ["date", "direction", "type", "source", "target", "quad", "intensity", "articles",
                   "outlets", "negated", "historical"],
        "quotes": ["published", "direction", "speaker", "about", "text", "outlet", "articles"],
        "disputes": ["first_date", "proposition", "alleged_by", "denied_by", "confirmed_by", "claims", "outlets"],
    }
    titles = {"periods": f"{a} and {b} by {by} (a = {a}, b = {b}; tone: sentences naming both)",
              "types": "event types by period", "events": "merged events", "quotes": "quotes about each other",
              "disputes": "disputes"}
    for key, df in frames.items():
        _table(df, titles[key], cols[key])
    if "periods" in frames:
        note_undated(frames["periods"], "merged event", "a dyad counts dated events only")


@app.command()
def trends(
    db: Path = DB_OPTION,
    by: str = typer.Option("year", "--by", help="Period: day, month or year."),
    actor: Optional[str] = typer.Option(None, "--actor", help='Events with this actor as source or target: id, name '
                                                              'or code (the most mentioned actor that matches).'),
    since: Optional[str] = typer.Option(None, "--since", callback=date_value, help="From this date (YYYY, YYYY-MM, YYYY-MM-DD)."),
    until: Optional[str] = typer.Option(None, "--until", callback=date_value, help="Up to this date."),
    quad: list[str] = typer.Option([], "--quad", help='A quad class to keep ("material conflict"; repeatable).'),
    type: Optional[str] = typer.Option(None, "--type", help="A PLOVER event type, e.g. ASSAULT."),
    merged: bool = typer.Option(True, "--merged/--reports", help="Count an event told by several articles once "
                                                                "(default), or every report."),
    fmt: str = typer.Option("table", "--format", "-f", help="table, jsonl or csv."),
) -> None:
    """Event volume, intensity, tone and fatalities per period, by quad class (the explorer's Trends view)."""
    import pandas as pd

    from tacitus.api.explore import QUADS, EventFilter

    _check_format(fmt)
    if by not in ("day", "month", "year"):
        _fail(f"unknown period {by!r}; choose day, month or year")
    unknown = [q for q in quad if q not in QUADS]
    if unknown:
        _fail(f"unknown quad class {unknown[0]!r}; choose one of: {', '.join(QUADS)}")
    try:
        since_v, until_v = since, until
        with _open(db) as d:
            actor_id = None
            if actor:
                found = d.find_actors(actor)
                if found.empty:
                    _fail(f"no actor in the store matches {actor!r}")
                actor_id = found["id"].iloc[0]
                if len(found) > 1:
                    typer.echo(f"tacitus: {actor!r} matches {len(found)} actors; showing {found['name'].iloc[0]} "
                               f"({actor_id})", err=True)
            flt = EventFilter(actor=actor_id, since=since_v, until=until_v, quads=tuple(dict.fromkeys(quad)),
                              type=type)
            data = d.explorer().trends(flt, by, merged)
    except TacitusError as exc:
        _fail(str(exc))
        return
    rows = [{"period": p["period"], "events": p["events"],
             **{q: p["by_quad"].get(q, {}).get("events", 0) for q in QUADS},
             "intensity": p["intensity"], "tone": p["tone"], "fatalities": p["fatalities"]} for p in data["periods"]]
    df = pd.DataFrame(rows, columns=["period", "events", *QUADS, "intensity", "tone", "fatalities"])
    _emit(df, fmt, f"events per {by}{' (reports merged)' if merged else ''}")
    notes = []
    if data["undated"]:
        notes.append(f"{number(data['undated'])} event{'s' if data['undated'] != 1 else ''} left out: no date")
    if data["coarser"]:
        notes.append(f"{number(data['coarser'])} dated only to a period coarser than a {by}")
    if notes:
        typer.echo("; ".join(notes), err=fmt != "table")


@app.command("actor")
def actor_profile(
    name: str = typer.Argument(..., help='Actor name, alias, id or code ("Zamir Kabulov", "Taliban", "RUS GOV").'),
    db: Path = DB_OPTION,
    partners: int = typer.Option(15, "--partners", help="How many interaction partners to list."),
    json_out: bool = typer.Option(False, "--json", help="Print the profile as JSON."),
) -> None:
    """An actor's profile: roles over time, the actors it interacts with most, its events and its quotes."""
    try:
        with _open(db) as d:
            p = d.actor(name, partners=partners)
    except TacitusError as exc:
        _fail(str(exc))
        return
    if json_out:
        out = {k: (v.to_dict(orient="records") if hasattr(v, "to_dict") and not isinstance(v, dict) else v)
               for k, v in p.items()}
        typer.echo(json.dumps(out, default=lambda v: v.tolist() if hasattr(v, "tolist") else str(v), ensure_ascii=False))
        return
    act, s = p["actor"], p["summary"]
    typer.echo(f"{act.get('name')}  [{act.get('code') or ''}]  {act.get('kind') or ''}  id {act.get('id') or '-'}")
    typer.echo(f"{s['mentions']} mentions in {s['articles']} articles{_span(s['first_published'], s['last_published'])}; "
               f"{s['events']} merged events{_span(s['first_event'], s['last_event'])}; {s['quotes']} quotes")
    if len(p["matches"]) > 1:
        typer.echo("also matching: " + ", ".join(f"{r.name} [{r.code}]" for r in p["matches"].iloc[1:6].itertuples()))
    _table(p["roles"], "roles", ["date", "role", "organisation", "code", "outlet"])
    _table(p["partners"], "interacts most with", ["partner", "partner_code", "events", "cooperation", "conflict",
                                                  "intensity", "first_date", "last_date"])
    _table(p["events_by_type"], "events by type", ["type", "quad", "as_source", "as_target"])
    _table(p["quotes"], "quotes", ["first_reported", "text", "articles", "outlets"])


@app.command()
def sql(
    query: str = typer.Argument(..., help='SQL, e.g. "SELECT type, count(*) FROM event_clusters GROUP BY 1".'),
    db: Path = DB_OPTION,
    fmt: str = typer.Option("table", "--format", "-f", help="table, jsonl or csv."),
) -> None:
    """Run read-only SQL on the store and print the result. Writes fail (the store is opened read-only),
    and so does any file or network access from SQL (COPY ... TO, read_csv, ATTACH, INSTALL): use
    'tacitus export' to write files."""
    _check_format(fmt)
    try:
        with _open(db) as d:
            d.store.con.execute("SET enable_external_access = false")  # this process only runs this query
            df = d.sql(query)
    except TacitusError as exc:
        _fail(str(exc))
        return
    _emit(df, fmt)


@app.command()
def network(
    db: Path = DB_OPTION,
    output: Path = typer.Option(..., "--output", "-o", help="Output file (.graphml or .gexf)."),
    fmt: Optional[str] = typer.Option(None, "--format", "-f", help="graphml or gexf (default: from the file name)."),
    node: str = typer.Option("code", "--node", help="One node per actor code (code) or per resolved actor (actor)."),
    since: Optional[str] = typer.Option(None, "--since", callback=date_value, help="Events on or after this date."),
    until: Optional[str] = typer.Option(None, "--until", callback=date_value, help="Events on or before this date."),
    quad: Optional[str] = typer.Option(None, "--quad", help="Only this quad class, or cooperation / conflict."),
    min_events: int = typer.Option(1, "--min-events", help="Only edges with at least this many merged events."),
) -> None:
    """Write the actor network of merged events (directed, weighted by events) as GraphML or GEXF for Gephi."""
    try:
        with _open(db) as d:
            n = d.write_network(output, fmt, since=since, until=until, quad=quad, node=node, min_events=min_events)
    except TacitusError as exc:
        _fail(str(exc))
        return
    typer.echo(f"wrote {n['nodes']} nodes and {n['edges']} edges to {output}", err=True)


@app.command()
def gdelt(
    db: Path = DB_OPTION,
    output: Path = typer.Option(..., "--output", "-o", help="Output file ('-' for stdout)."),
    since: Optional[str] = typer.Option(None, "--since", callback=date_value, help="Events on or after this date."),
    until: Optional[str] = typer.Option(None, "--until", callback=date_value, help="Events on or before this date."),
) -> None:
    """Write merged events as a GDELT 2.0 event table: 61 tab-separated columns, no header."""
    try:
        with _open(db) as d:
            n = d.write_gdelt(output, since=since, until=until)
            undated = d.gdelt_undated()
    except TacitusError as exc:
        _fail(str(exc))
        return
    except BrokenPipeError:  # `tacitus gdelt -o - | head`
        import sys

        sys.stderr.close()
        return
    left = f" ({number(undated)} undated merged event{'s' if undated != 1 else ''} left out: a GDELT row needs a date)" \
        if undated else ""
    typer.echo(f"wrote {n} GDELT rows to {output}{left}", err=True)


plot_app = typer.Typer(no_args_is_help=True, help="Plots of the corpus view (PNG or SVG, matplotlib).")
app.add_typer(plot_app, name="plot")


@plot_app.command("dyad")
def plot_dyad(
    a: str = typer.Argument(..., help="First actor: code, id or name."),
    b: str = typer.Argument(..., help="Second actor."),
    db: Path = DB_OPTION,
    output: Path = typer.Option(..., "--output", "-o", help="Image file: .png or .svg."),
    by: str = typer.Option("year", "--by", help="Period: day, month or year."),
    since: Optional[str] = typer.Option(None, "--since", callback=date_value, help="From this date."),
    until: Optional[str] = typer.Option(None, "--until", callback=date_value, help="Up to this date."),
) -> None:
    """Plot two actors' cooperation and conflict (merged events) and mean intensity per period."""
    from tacitus.corpus.plot import plot_dyad as draw

    try:
        with _open(db) as d:
            df = d.dyad(a, b, by=by, since=since, until=until)
        n = draw(df, output, f"{a} and {b}")
    except TacitusError as exc:
        _fail(str(exc))
        return
    typer.echo(f"wrote {output} ({n} periods)", err=True)
