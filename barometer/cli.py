"""Command line: `barometer --help` lists every command."""

from __future__ import annotations

import functools
import os
import sys
from collections.abc import Callable
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
fetch_app = typer.Typer(help="Download official statistics tables into snapshots (needs a network).",
                        no_args_is_help=True)
export_app = typer.Typer(help="Files for researchers: every published aggregate, or a wave's harmonised microdata.",
                         no_args_is_help=True)
app.add_typer(etl_app, name="etl")
app.add_typer(db_app, name="db")
app.add_typer(codebook_app, name="codebook")
app.add_typer(demo_app, name="demo")
app.add_typer(fetch_app, name="fetch")
deck_app = typer.Typer(help="Presenters' decks: export one as YAML, import one as a new deck, or write one as an "
                       "offline HTML or a PowerPoint file.",
                       no_args_is_help=True)
app.add_typer(export_app, name="export")
app.add_typer(deck_app, name="deck")

console = Console(stderr=True)

CountryOption = Annotated[
    list[str] | None, typer.Option("--country", "-c", help="Limit to a country code (repeatable), e.g. DK")
]


_options = {"debug": False}
DEBUG_HINT = "Run with --debug for the traceback."


@app.callback()
def _main(
    debug: Annotated[bool, typer.Option("--debug", help="Show the full traceback of a database error")] = False,
) -> None:
    """Nordic Innovation Barometer Explorer: ETL, database and dashboard."""
    _options["debug"] = debug


def _fail(message: str, code: int = 1) -> None:
    # escaped: messages quote file contents, and a label like "[q1]" or "[/x]" is not console markup
    console.print(f"[bold red]error:[/] {escape(message)}", highlight=False, soft_wrap=True)
    raise typer.Exit(code)


def _database_problem(exc: BaseException) -> str | None:
    """A message a person can act on for a database error, None for anything else."""
    import psycopg

    from core.database import RunInProgress
    from core.errors import DatabaseUnavailable, describe_database_error

    if isinstance(exc, (DatabaseUnavailable, RunInProgress)):
        return str(exc)
    if isinstance(exc, psycopg.Error):
        return f"{describe_database_error(exc)}\n{DEBUG_HINT}"
    return None


def reports_database_errors(command: Callable) -> Callable:
    """Turn a database error inside ``command`` into a message and exit 1 (the traceback only with --debug)."""

    @functools.wraps(command)
    def wrapper(*args, **kwargs):
        try:
            return command(*args, **kwargs)
        except Exception as exc:
            message = _database_problem(exc)
            if message is None or _options["debug"]:
                raise
            _fail(message)

    return wrapper


def _database_url() -> str:
    from core.database import resolve_database_url
    from core.errors import DatabaseUnavailable

    try:
        return resolve_database_url()
    except DatabaseUnavailable as exc:
        _fail(str(exc))
    raise AssertionError("unreachable")


@db_app.command("upgrade")
@reports_database_errors
def db_upgrade() -> None:
    """Create or migrate the schema to the newest revision."""
    from core.database import run_lock
    from core.migrate import upgrade

    url = _database_url()
    with run_lock(url, on_wait=console.print):
        upgrade(url)
    console.print("schema is up to date")


@db_app.command("url")
@reports_database_errors
def db_url() -> None:
    """Print the database URL in use (starting the embedded server if needed)."""
    print(_database_url())


@db_app.command("stop")
def db_stop(
    timeout: Annotated[float, typer.Option(help="Seconds to wait for the server to stop")] = 30,
) -> None:
    """Stop the embedded PostgreSQL server (no-op with DATABASE_URL); exit 1 if it still runs."""
    settings = get_settings()
    if settings.database_url:
        console.print("DATABASE_URL is set; nothing embedded to stop")
        return
    from core.database import stale_pid_file, stop_embedded_server
    from core.errors import ServerStillRunning

    try:
        stopped = stop_embedded_server(settings.pgdata, timeout_s=timeout)
    except ServerStillRunning as exc:
        _fail(str(exc))
    stale = None if stopped else stale_pid_file(settings.pgdata)
    console.print(f"embedded server stopped ({settings.pgdata})" if stopped
                  else f"no embedded server runs on {settings.pgdata}", highlight=False)
    if stale is not None:  # nothing was signalled: the pid is another program's
        console.print(f"[yellow]{escape(stale)}[/]", highlight=False, soft_wrap=True)


@db_app.command("grant-readonly")
@reports_database_errors
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


def _keep_arrow_out() -> None:
    """Keep pandas from loading pyarrow in a process that only runs the ETL.

    pandas imports pyarrow whenever it is installed (for Arrow-backed text columns), ~60 MB resident before
    any file is read; the ETL reads text into plain object columns and never uses Arrow (only the parquet
    export does, in its own command). No effect once pandas is loaded.
    """
    if "pandas" not in sys.modules:
        sys.modules.setdefault("pyarrow", None)  # type: ignore[arg-type] - None makes `import pyarrow` fail


@etl_app.command("run")
@reports_database_errors
def etl_run(
    country: CountryOption = None,
    no_wait: Annotated[bool, typer.Option("--no-wait", help="Exit 1 at once if another run is in progress")] = False,
) -> None:
    """Migrate the schema, then load the catalogue, published figures and every wave's file.

    One run writes at a time: a second run waits for the first, or with --no-wait exits 1."""
    _keep_arrow_out()
    from core.database import run_lock
    from core.migrate import upgrade
    from etl.errors import EtlError, PartialLoadError

    url = _database_url()
    try:
        with run_lock(url, wait=not no_wait, on_wait=console.print):
            upgrade(url)
            results = run_etl_with_progress(url, country)
    except PartialLoadError as exc:
        database_errors = [e for e in exc.failures.values() if not isinstance(e, EtlError)]
        if database_errors and _options["debug"]:
            raise database_errors[0] from exc
        _fail(f"{exc}\n{DEBUG_HINT}" if database_errors else str(exc))
    except EtlError as exc:
        _fail(f"{exc}\nNothing of this run was loaded; the database is as it was.")
    table = Table("wave", "status", "respondents", "answers", "estimates", title="ETL")
    for result in results:
        table.add_row(result.wave_key, result.status, str(result.respondents), str(result.answers),
                      str(result.estimates))
    Console().print(table)


@codebook_app.command("check")
@reports_database_errors
def codebook_check(
    codebook: Annotated[Path, typer.Argument(help="Codebook YAML (the two paths may come in either order)")],
    file: Annotated[Path | None, typer.Argument(help="National file (default: the codebook's source.file)")] = None,
) -> None:
    """List the variables and labels of FILE that CODEBOOK does not map, then validate FILE as `etl run` does.

    Writes nothing; exits 1 on anything the ETL would refuse, with the ETL's message."""
    from etl.catalogue import get_catalogue
    from etl.check import check_codebook
    from etl.codebook import load_codebook
    from etl.errors import EtlError
    from etl.readers import require_source_file

    if file is not None and codebook.suffix not in {".yaml", ".yml"} and file.suffix in {".yaml", ".yml"}:
        codebook, file = file, codebook
    settings = get_settings()
    catalogue = get_catalogue(settings.catalogue_dir)
    try:
        book = load_codebook(codebook, catalogue)
        report = check_codebook(book, file or require_source_file(book, settings.data_dir), catalogue)
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


def _fetch_each(targets: list[str], fetch_one) -> None:
    """Fetch every target, reporting each snapshot; stop at the first failure (earlier snapshots stay)."""
    from etl.catalogue import get_catalogue
    from etl.errors import EtlError

    settings = get_settings()
    catalogue = get_catalogue(settings.catalogue_dir)
    for target in targets:
        try:
            folder = fetch_one(target, settings, catalogue)
        except EtlError as exc:
            _fail(f"{target}: {exc}")
        console.print(f"{target}: snapshot written to {folder}; load it with `barometer etl run`")


@fetch_app.command("statbank")
def fetch_statbank(
    tables: Annotated[list[str], typer.Argument(help="StatBank table ids, e.g. OIN01DK OIN02DK")],
) -> None:
    """Download Statistics Denmark StatBank tables (metadata and every cell, BULK CSV with codes).

    The API address is STATBANK_API_URL (default https://api.statbank.dk/v1). Each table needs a mapping in
    data/official/mappings/TABLE.yaml; a snapshot is kept only when it parses through that mapping."""
    from etl.official.fetch import fetch_statbank as fetch_one

    _fetch_each(tables, fetch_one)


@fetch_app.command("pxweb")
def fetch_pxweb(
    urls: Annotated[list[str], typer.Argument(help="PxWeb API table URLs (.../TABLE or .../TABLE.px)")],
) -> None:
    """Download PxWeb tables (metadata, then every value as JSON-stat 2.0) into snapshots.

    The table id is the URL's last segment; it needs a mapping in data/official/mappings/TABLE.yaml."""
    from etl.official.fetch import fetch_pxweb as fetch_one

    _fetch_each(urls, fetch_one)


@export_app.command("aggregates")
def export_aggregates(
    directory: Annotated[Path, typer.Argument(help="Folder to write the package into (created if missing)")],
) -> None:
    """Write every published aggregate as a Frictionless Data Package: CSV and Parquet per table, datapackage.json.

    The same files as the dashboard's /download/all.zip, read through the same privacy-safe queries."""
    from app.data.db import Database
    from app.exports.data_package import write_package

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


BaseUrlOption = Annotated[str | None, typer.Option(
    "--base-url", help="Public address of the site, for absolute links (default: PUBLIC_URL)")]
DeckIdArgument = Annotated[str, typer.Argument(help="Public id of the deck (as in /follow/<id>)")]
DeckLangOption = Annotated[str | None, typer.Option(help="Language of the slides (default: the deck's)")]


def _site_address(base_url: str | None, without: str) -> str | None:
    """--base-url, else PUBLIC_URL; when neither is set, None, and the console says so and what follows
    (``without``)."""
    base = base_url or get_settings().public_url
    if not base:
        console.print(f"[yellow]Neither PUBLIC_URL nor --base-url is set: {escape(without)}.[/]", highlight=False)
        return None
    return base.rstrip("/")


def _file_address(base_url: str | None) -> str:
    """The address a file's links back start with: --base-url, else PUBLIC_URL, else this machine's own
    address, which the console names as one that only this machine opens."""
    local = f"http://127.0.0.1:{get_settings().port}"
    return _site_address(base_url, f"the file's links point at {local}, which only this machine opens") or local


def _deck_and_lang(database, deck_id: str, lang: str | None):
    """The deck called ``deck_id`` and the language to draw it in (``lang``, else the deck's); exits 1 naming
    what is wrong."""
    from app.decks.store import read_deck
    from core.config import LANGUAGES

    deck = read_deck(database, deck_id)
    if deck is None:
        _fail(f"no deck has the id {deck_id!r}")
    assert deck is not None
    lang = lang or deck.lang
    if lang not in LANGUAGES:
        _fail(f"unknown language {lang!r}: one of {', '.join(LANGUAGES)}")
    return deck, lang


@deck_app.command("export")
@reports_database_errors
def deck_export(
    deck_id: DeckIdArgument,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="File to write (default: standard output)")]
    = None,
) -> None:
    """Write a deck (title, language, slides with their views and captions) as YAML; never its presenter key."""
    import psycopg

    from app.decks.files import deck_to_yaml
    from app.decks.store import load_deck

    with psycopg.connect(_database_url()) as conn:
        deck = load_deck(conn, deck_id)
    if deck is None:
        _fail(f"no deck has the id {deck_id!r}")
    assert deck is not None
    text = deck_to_yaml(deck)
    if output is None:
        sys.stdout.write(text)
    else:
        output.write_text(text, encoding="utf-8")
        console.print(f"wrote {escape(str(output))}: {len(deck.slides)} slides", highlight=False)


@deck_app.command("import")
@reports_database_errors
def deck_import(
    file: Annotated[Path, typer.Argument(help="A deck YAML file, as `deck export` or the deck page writes it")],
    base_url: BaseUrlOption = None,
) -> None:
    """Create a new deck from a YAML file and print its follow link and presenter link (the key is shown only now).

    The file is checked first (errors name the file and the key); nothing is written when it is not valid."""
    import psycopg

    from app.data.db import Database
    from app.decks.files import DeckFileError, canonical_slides, read_deck_file
    from app.decks.store import DeckError, create_deck
    from app.site.params import known

    url = _database_url()
    database = Database(url)
    try:
        title, lang, slides = read_deck_file(file)
        slides = canonical_slides(slides, known(database), str(file))  # as the app stores an added slide
    except OSError as exc:
        _fail(f"{file}: cannot be read: {exc}")
    except DeckFileError as exc:
        _fail(str(exc))
    finally:
        database.close()
    try:
        with psycopg.connect(url, autocommit=True) as conn:
            deck, key = create_deck(conn, title, lang, slides)
    except DeckError as exc:
        _fail(f"{file}: {exc}")
    base = _site_address(base_url, "the links below are paths on the site; put its address in front")
    print(f"deck:      {deck.public_id} ({len(deck.slides)} slides)")
    print(f"follow:    {base or ''}/follow/{deck.public_id}")
    print(f"presenter: {base or ''}/{lang}/decks/{deck.public_id}/present#key={key}")


@deck_app.command("offline")
@reports_database_errors
def deck_offline(
    deck_id: DeckIdArgument,
    output: Annotated[Path, typer.Option("--output", "-o", help="HTML file to write")],
    lang: DeckLangOption = None,
    base_url: BaseUrlOption = None,
) -> None:
    """Write a deck as one self-contained HTML file (plotly.js and every chart inline) that works with no network."""
    from app.data.db import Database
    from app.decks.slides.offline import offline_deck_html
    from app.decks.slides.routes import offline_slides

    database = Database(_database_url(), settings=get_settings())
    try:
        deck, lang = _deck_and_lang(database, deck_id, lang)
        slides = offline_slides(database, deck, lang)
        html = offline_deck_html(database, slides, title=deck.title or deck_id, lang=lang,
                                 base_url=_file_address(base_url))
    finally:
        database.close()
    output.write_text(html, encoding="utf-8")
    console.print(f"wrote {escape(str(output))}: {len(slides)} of {len(deck.slides)} slides, works offline",
                  highlight=False)


@deck_app.command("pptx")
@reports_database_errors
def deck_pptx(
    deck_id: DeckIdArgument,
    output: Annotated[Path, typer.Option("--output", "-o", help="PPTX file to write")],
    lang: DeckLangOption = None,
    base_url: BaseUrlOption = None,
) -> None:
    """Write a deck as a PowerPoint file: a slide per view with a native, editable chart of its numbers, its
    sources and address in the footer and the speaker notes, and a closing slide with the follow QR code."""
    from app.data.db import Database
    from app.decks.pptx.routes import deck_pptx as pptx_file

    database = Database(_database_url(), settings=get_settings())
    try:
        deck, lang = _deck_and_lang(database, deck_id, lang)
        body, count = pptx_file(database, deck, lang, _file_address(base_url))
    finally:
        database.close()
    output.write_bytes(body)
    console.print(f"wrote {escape(str(output))}: {count} of {len(deck.slides)} slides, {len(body) // 1024} kB",
                  highlight=False)


@app.command("serve")
@reports_database_errors
def serve(
    dev: Annotated[bool, typer.Option("--dev", help="Flask's development server instead of gunicorn")] = False,
    port: Annotated[int | None, typer.Option(help="Port (default: PORT or 8050)")] = None,
    host: Annotated[str | None, typer.Option(help="Interface (default: HOST or 127.0.0.1)")] = None,
    prod: Annotated[bool, typer.Option("--prod", hidden=True, help="gunicorn (the default; kept for scripts)")] = False,
) -> None:
    """Serve the dashboard on the loaded database with gunicorn (--dev: Flask's development server)."""
    from app.serve import serve_dashboard

    if dev and prod:
        _fail("--dev and --prod exclude each other")
    serve_dashboard(_database_url(), dev=dev, port=port, host=host)


@app.command("up")
def up(
    dev: Annotated[bool, typer.Option("--dev", help="Flask's development server instead of gunicorn")] = False,
    port: Annotated[int | None, typer.Option(help="Port (default: PORT or 8050)")] = None,
    prod: Annotated[bool, typer.Option("--prod", hidden=True, help="gunicorn (the default; kept for scripts)")] = False,
    public: Annotated[bool, typer.Option("--public", help="Serve a hall: listen on all interfaces, and put "
                                         "this machine's network address in QR codes and share links")] = False,
) -> None:
    """Everything at once: schema, ETL of all bundled data, then the dashboard (gunicorn)."""
    etl_run(country=None, no_wait=False)
    serve(dev=dev, port=port, host=_serve_public(port) if public else None, prod=prod)


def _serve_public(port: int | None) -> str:
    """Listen on all interfaces; unless PUBLIC_URL says otherwise, links name this machine's LAN address."""
    from app.web.venue import ALL_INTERFACES, public_url_for

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
