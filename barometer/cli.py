"""Command line: `barometer --help` lists every command."""

from __future__ import annotations

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
export_app = typer.Typer(help="Files for researchers: every published aggregate, or a wave's harmonised microdata.",
                         no_args_is_help=True)
app.add_typer(etl_app, name="etl")
app.add_typer(db_app, name="db")
app.add_typer(codebook_app, name="codebook")
app.add_typer(demo_app, name="demo")
app.add_typer(export_app, name="export")

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


@export_app.command("aggregates")
def export_aggregates(
    directory: Annotated[Path, typer.Argument(help="Folder to write the package into (created if missing)")],
) -> None:
    """Write every published aggregate as a Frictionless Data Package: CSV and Parquet per table, datapackage.json.

    The same files as the dashboard's /download/all.zip, read through the same privacy-safe queries."""
    from app.bulk_export import write_package
    from app.db import Database

    settings = get_settings()
    db = Database(_database_url(), settings=settings)
    try:
        path = write_package(db, directory, settings.public_url or "")
    finally:
        db.close()
    console.print(f"wrote {escape(str(path))}", highlight=False)


@export_app.command("microdata")
def export_microdata_command(
    wave: Annotated[str, typer.Option("--wave", help="Key of a loaded wave, e.g. DK-2021-23 (see /api/v1/waves)")],
    fmt: Annotated[str, typer.Option("--format", help="sav (SPSS), dta (Stata) or parquet")] = "sav",
    output: Annotated[Path | None, typer.Option("--output", "-o", help="File to write (default: in this folder)")]
    = None,
    lang: Annotated[str, typer.Option("--lang", help="Language of value labels: en, nb, da, sv, fi, is")] = "en",
    demo: Annotated[bool, typer.Option("--demo", help="Allow a demo wave (synthetic units, labelled as demo)")]
    = False,
) -> None:
    """Write the harmonised respondent-level file of a loaded wave, for work inside a secure environment.

    Harmonised variable names, value labels in LANG, the weight and the design variables. The dashboard and
    its API never serve these rows; demo waves are refused unless --demo is given."""
    from etl.errors import EtlError
    from etl.export_microdata import export_microdata

    try:
        path, info = export_microdata(_database_url(), wave, fmt, output, lang=lang, allow_demo=demo)
    except EtlError as exc:
        _fail(str(exc))
    note = " (DEMO: synthetic units, not survey responses)" if info.is_demo else ""
    console.print(f"wrote {escape(str(path))}: {escape(info.key)} harmonised microdata{note}", highlight=False)


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
) -> None:
    """Everything at once: schema, ETL of all bundled data, then the dashboard."""
    etl_run(country=None)
    serve(prod=prod, port=port, host=None)


def main() -> None:  # pragma: no cover - console entry for `python -m barometer`
    app(prog_name="barometer")


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
