"""``tacitus serve``: the web explorer over a store."""

from __future__ import annotations

import socket
from pathlib import Path

import typer

from tacitus.cli.app import DB_OPTION, _fail, app
from tacitus.errors import TacitusError


@app.command()
def serve(
    db: Path = DB_OPTION,
    host: str = typer.Option("127.0.0.1", "--host", help="Address to bind (default loopback only)."),
    port: int = typer.Option(8765, "--port", "-p", min=1, max=65535, help="Port to listen on."),
    cursors: int = typer.Option(4, "--cursors", min=1, max=64, help="Database queries run at once (the rest queue)."),
    cache_mb: float = typer.Option(64.0, "--cache-mb", min=0, max=4096,
                                   help="Megabytes of API answers kept in memory (the store cannot change while "
                                        "served); 0 keeps none."),
) -> None:
    """Open the web explorer over the database (read-only): network, timeline, map, quotes, disputes, articles."""
    from tacitus.web import STATIC_DIR, create_app, serve as run_server
    from tacitus.web.app import allowed_hosts_for

    try:
        web_app = create_app(db, allowed_hosts=allowed_hosts_for(host), cursors=cursors, cache_mb=cache_mb)
    except TacitusError as exc:
        _fail(str(exc))
        return
    try:  # say so plainly when the port is taken, before announcing anything
        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        with socket.socket(family, socket.SOCK_STREAM) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            probe.bind((host, port))
    except OSError as exc:
        _fail(f"cannot listen on {host}:{port}: {exc.strerror or exc}")
        return
    if not (STATIC_DIR / "index.html").is_file():
        typer.echo("tacitus: warning: the front end is not built (run 'make web'); serving the API only", err=True)
    if allowed_hosts_for(host) is None:
        typer.echo(f"tacitus: warning: bound to {host}: anyone who can reach this machine can read the store", err=True)
    shown = f"[{host}]" if ":" in host else host
    typer.echo(f"Tacitus explorer on http://{shown}:{port}/ (API reference at /#api); Ctrl-C stops it", err=True)
    run_server(db, host=host, port=port, app=web_app)
