"""Command line: `barometer --help` lists every command."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from core.config import get_settings

app = typer.Typer(help="Nordic Innovation Barometer Explorer: ETL, database and dashboard.", no_args_is_help=True)
etl_app = typer.Typer(help="Extract, harmonise and load the national barometer files.", no_args_is_help=True)
db_app = typer.Typer(help="Database schema and the embedded server.", no_args_is_help=True)
codebook_app = typer.Typer(help="Check codebooks against national files.", no_args_is_help=True)
demo_app = typer.Typer(help="Deterministic demo microdata.", no_args_is_help=True)
app.add_typer(etl_app, name="etl")
app.add_typer(db_app, name="db")
app.add_typer(codebook_app, name="codebook")
app.add_typer(demo_app, name="demo")

console = Console(stderr=True)

CountryOption = Annotated[
    list[str] | None, typer.Option("--country", "-c", help="Limit to a country code (repeatable), e.g. DK")
]


def _fail(message: str, code: int = 1) -> None:
    # escaped: messages quote file contents, and a label like "[q1]" or "[/x]" is not console markup
    console.print(f"[bold red]error:[/] {escape(message)}", highlight=False, soft_wrap=True)
    raise typer.Exit(code)


def _database_url() -> str:
    from core.database import resolve_database_url
    from core.errors import DatabaseUnavailable

    try:
        return resolve_database_url()
    except DatabaseUnavailable as exc:
        _fail(str(exc))
    raise AssertionError("unreachable")


@db_app.command("upgrade")
def db_upgrade() -> None:
    """Create or migrate the schema to the newest revision."""
    from core.migrate import upgrade

    upgrade(_database_url())
    console.print("schema is up to date")


@db_app.command("url")
def db_url() -> None:
    """Print the database URL in use (starting the embedded server if needed)."""
    print(_database_url())


@db_app.command("stop")
def db_stop() -> None:
    """Stop the embedded PostgreSQL server (no-op with DATABASE_URL)."""
    settings = get_settings()
    if settings.database_url:
        console.print("DATABASE_URL is set; nothing embedded to stop")
        return
    from core.database import stop_embedded_server

    stop_embedded_server(settings.pgdata)
    console.print("embedded server stopped")


@db_app.command("grant-readonly")
def db_grant_readonly(
    role: Annotated[str, typer.Argument(help="Role name, e.g. barometer_app")] = "barometer_app",
    password: Annotated[str | None, typer.Option(help="Login password (else leave unchanged)")] = None,
) -> None:
    """Create a login role that may read the aggregate tables only (never workplace rows).

    Point READONLY_DATABASE_URL at it and the dashboard connects with it."""
    from core.database import connect
    from core.migrate import upgrade
    from core.roles import grant_readonly_role

    url = _database_url()
    upgrade(url)
    with connect(url) as conn, conn.transaction():
        grant_readonly_role(conn, role, password)
    console.print(f"role {role} may read aggregates only")


def run_etl_with_progress(database_url: str, countries: list[str] | None) -> list:
    from etl.codebook import discover_codebooks
    from etl.pipeline import run_etl

    settings = get_settings()
    paths = discover_codebooks(settings.codebook_dir, countries)
    if not paths:
        _fail(f"no codebooks found under {settings.codebook_dir} for {countries or 'any country'}")
    columns = (TextColumn("{task.description}"), BarColumn(), TextColumn("{task.completed}/{task.total}"),
               TimeElapsedColumn())
    with Progress(*columns, console=console, transient=not console.is_terminal) as progress:
        task = progress.add_task("ETL", total=2 * len(paths))

        def step(message: str) -> None:
            progress.update(task, advance=1, description=message)

        return run_etl(database_url, codebook_paths=paths, settings=settings, progress=step)


@etl_app.command("run")
def etl_run(country: CountryOption = None) -> None:
    """Migrate the schema, then load the catalogue, published figures and every wave's file."""
    from core.migrate import upgrade
    from etl.errors import EtlError, PartialLoadError

    url = _database_url()
    upgrade(url)
    try:
        results = run_etl_with_progress(url, country)
    except PartialLoadError as exc:
        _fail(str(exc))
    except EtlError as exc:
        _fail(f"{exc}\nNothing of this run was loaded; the database is as it was.")
    table = Table("wave", "status", "respondents", "answers", "estimates", title="ETL")
    for result in results:
        table.add_row(result.wave_key, result.status, str(result.respondents), str(result.answers),
                      str(result.estimates))
    Console().print(table)


@codebook_app.command("check")
def codebook_check(
    codebook: Annotated[Path, typer.Argument(help="Codebook YAML (the two paths may come in either order)")],
    file: Annotated[Path | None, typer.Argument(help="National file (default: the codebook's source.file)")] = None,
) -> None:
    """List the variables and labels of FILE that CODEBOOK does not map; exit 1 if any."""
    from etl.catalogue import get_catalogue
    from etl.check import check_codebook
    from etl.codebook import load_codebook
    from etl.errors import EtlError

    if file is not None and codebook.suffix not in {".yaml", ".yml"} and file.suffix in {".yaml", ".yml"}:
        codebook, file = file, codebook
    settings = get_settings()
    catalogue = get_catalogue(settings.catalogue_dir)
    try:
        book = load_codebook(codebook, catalogue)
        report = check_codebook(book, file or book.source_path(settings.data_dir), catalogue)
    except EtlError as exc:
        _fail(str(exc))
    print(report.render())
    if not report.ok:
        raise typer.Exit(1)


@demo_app.command("generate")
def demo_generate(
    country: CountryOption = None,
    check: Annotated[bool, typer.Option("--check", help="Verify the bundled files instead of writing")] = False,
) -> None:
    """Write the deterministic demo microdata files from data/demo_specs (or verify them with --check)."""
    from etl.demo.generator import generate_all

    problems = generate_all(get_settings(), countries=country, check_only=check, report=console.print)
    if problems:
        _fail("\n".join(problems))


@app.command("serve")
def serve(
    prod: Annotated[bool, typer.Option("--prod", help="Serve with gunicorn (compression, several workers)")] = False,
    port: Annotated[int | None, typer.Option(help="Port (default: PORT or 8050)")] = None,
    host: Annotated[str | None, typer.Option(help="Interface (default: HOST or 127.0.0.1)")] = None,
) -> None:
    """Serve the dashboard on the loaded database."""
    from app.serve import serve_dashboard

    serve_dashboard(_database_url(), prod=prod, port=port, host=host)


@app.command("up")
def up(
    prod: Annotated[bool, typer.Option("--prod", help="Serve with gunicorn")] = False,
    port: Annotated[int | None, typer.Option(help="Port (default: PORT or 8050)")] = None,
    public: Annotated[bool, typer.Option("--public", help="Serve a hall: listen on all interfaces, and put "
                                         "this machine's network address in QR codes and share links")] = False,
) -> None:
    """Everything at once: schema, ETL of all bundled data, then the dashboard."""
    etl_run(country=None)
    serve(prod=prod, port=port, host=_serve_public(port) if public else None)


def _serve_public(port: int | None) -> str:
    """Listen on all interfaces; unless PUBLIC_URL says otherwise, links name this machine's LAN address."""
    from app.venue import ALL_INTERFACES, public_url_for

    address = get_settings().public_url or public_url_for(port or get_settings().port)
    if address is None:
        console.print("[yellow]No network address found: connect to the venue network, or set PUBLIC_URL.[/]")
    else:
        os.environ["PUBLIC_URL"] = address
        console.print(f"Open and share: [bold]{escape(address)}/en/[/]", highlight=False)
    return ALL_INTERFACES


def main() -> None:  # pragma: no cover - console entry for `python -m barometer`
    app(prog_name="barometer")


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
