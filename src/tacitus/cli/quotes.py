"""`tacitus quotes` and `tacitus disputes`: who said what, and who alleges what others deny."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from tacitus.cli.main import DB_OPTION, _fail, app
from tacitus.errors import TacitusError

_FORMATS = ("table", "jsonl", "csv")


def _emit(df, fmt: str, table) -> None:
    if fmt == "jsonl":
        typer.echo(df.to_json(orient="records", lines=True, date_format="iso", force_ascii=False), nl=False)
    elif fmt == "csv":
        typer.echo(df.to_csv(index=False), nl=False)
    else:
        table(df)


@app.command()
def quotes(
    db: Path = DB_OPTION,
    speaker: Optional[str] = typer.Option(None, "--speaker", help='Speaker name or the words at the cue ("Zakharova").'),
    actor: Optional[str] = typer.Option(None, "--actor", help='Speaker actor code ("RUS", "RUS GOV", "AFG-INS") or id.'),
    kind: Optional[str] = typer.Option(None, "--kind", help="direct or indirect."),
    limit: Optional[int] = typer.Option(None, "--limit", help="At most this many quotes."),
    fmt: str = typer.Option("table", "--format", "-f", help="table, jsonl or csv."),
) -> None:
    """List quotes with speaker, how the speaker was found, role, cue and article."""
    from tacitus.api.reader import open_db
    from tacitus.cli.render import print_quotes

    if fmt not in _FORMATS:
        _fail(f"unknown format {fmt!r}; choose table, jsonl or csv")
        return
    if kind and kind.lower() not in ("direct", "indirect"):
        _fail(f"unknown kind {kind!r}; choose direct or indirect")
        return
    try:
        with open_db(db) as d:
            df = d.quotes(speaker, actor, kind, limit)
    except TacitusError as exc:
        _fail(str(exc))
        return
    _emit(df, fmt, print_quotes)


@app.command()
def disputes(
    db: Path = DB_OPTION,
    actor: Optional[str] = typer.Option(None, "--actor", help="Only disputes whose subject or object has this code."),
    all_: bool = typer.Option(False, "--all", help="Also propositions nobody has denied (uncontested claims)."),
    claims: bool = typer.Option(False, "--claims", help="Under each dispute, list its claims with their sentences."),
    fmt: str = typer.Option("table", "--format", "-f", help="table, jsonl or csv."),
) -> None:
    """List disputes: one proposition ("RUS backs AFG INS"), who alleges it, who denies it, since when."""
    from tacitus.api.reader import open_db
    from tacitus.cli.render import print_disputes

    if fmt not in _FORMATS:
        _fail(f"unknown format {fmt!r}; choose table, jsonl or csv")
        return
    try:
        with open_db(db) as d:
            df = d.disputes(actor, contested=not all_)
            detail = d.claims() if claims else None
    except TacitusError as exc:
        _fail(str(exc))
        return
    _emit(df, fmt, lambda frame: print_disputes(frame, detail))
