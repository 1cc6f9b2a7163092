"""What every command module shares: the ``tacitus`` Typer app and its sub-apps, common options and
helpers. Command modules import this, never each other; :mod:`tacitus.cli.main` imports them all."""

from __future__ import annotations

from pathlib import Path

import typer

from tacitus.errors import TacitusError

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    help="Tacitus: news articles in, event data out (actors, events, quotes, places, counts) in a DuckDB store.",
)

DB_OPTION = typer.Option(..., "--db", help="DuckDB database file.")
CONFIG_OPTION = typer.Option(None, "--config", "-c", help="TOML config file (default: $TACITUS_CONFIG or ./tacitus.toml).")
SET_OPTION = typer.Option(None, "--set", help="Override a setting: name=value (repeatable; see 'tacitus settings').")


FRAME_FORMATS = ("table", "jsonl", "csv")


def _check_format(fmt: str, allowed: tuple[str, ...] = FRAME_FORMATS) -> None:
    if fmt not in allowed:
        _fail(f"unknown format {fmt!r}; choose {', '.join(allowed)}")


def date_value(value: str | None) -> str | None:
    """The check of every ``--since``/``--until``: a real date or its prefix (2021, 2021-07, 2021-07-15);
    "last year", "21" or "2021-13" are refused with a clear line instead of silently matching nothing."""
    from tacitus.api.explore import filter_date

    try:
        return filter_date(value, "date")
    except TacitusError as exc:
        raise typer.BadParameter(str(exc).removeprefix("date: ")) from None


def note_undated(df, what: str = "event", how: str = "--undated lists them") -> None:
    """On stderr: how many rows a date-filtered query left out for having no date (the frame's
    ``attrs["undated_left_out"]``, set by the Python API)."""
    n = int(getattr(df, "attrs", {}).get("undated_left_out") or 0)
    if n:
        typer.echo(f"{n:,} undated {what}{'s' if n != 1 else ''} left out: no date ({how})", err=True)


def _fail(message: str, code: int = 1) -> None:
    typer.echo(f"tacitus: error: {message}", err=True)
    raise typer.Exit(code)


def in_repository(path: Path) -> Path:
    """An example file (``examples/...``) given relative to where you are, else to the source tree Tacitus
    runs from, so that ``tacitus eval places`` works from any folder of a checkout's machine."""
    if path.is_absolute() or path.exists():
        return path
    root = Path(__file__).resolve().parents[3]  # src/tacitus/cli/app.py -> the repository
    return root / path if (root / path).exists() else path


def _eval_dir_option(help_text: str):
    return typer.Option(Path("../shared/eval"), "--eval-dir", envvar="TACITUS_EVAL_DIR", help=help_text)


def _eval_pipeline():
    """Default settings (no config file: scores must not depend on one) and the full pipeline."""
    from tacitus.nlp import build_pipeline
    from tacitus.settings import resolve

    try:
        settings = resolve(use_default_config=False)
        return settings, build_pipeline(settings.model)[0]
    except TacitusError as exc:
        _fail(str(exc))
        raise  # unreachable: _fail exits


eval_app = typer.Typer(no_args_is_help=True, help="Score the pipeline on labelled data, beside baselines.")
app.add_typer(eval_app, name="eval")
