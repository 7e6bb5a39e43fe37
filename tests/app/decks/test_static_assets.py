"""JavaScript and CSS live in files (assets/, app/decks/static/), never in Python strings, and every browser storage
name is spelled once: the plain deck pages inline their files as they are, allowed by the CSP hash of that text."""

from __future__ import annotations

import ast
import fnmatch
import re
import tomllib
from pathlib import Path

from app.decks.light_html import light_page, script_hash
from app.decks.static_files import DECK_JS_URL, STATIC_DIR, static_text
from core.config import PROJECT_ROOT

APP_DIR = PROJECT_ROOT / "app"
ASSETS_DIR = PROJECT_ROOT / "assets"

# a CSS rule block: a selector, then "{" and a declaration "property: value" ended by ";" or "}"
CSS_RULE = re.compile(r"[\w\])*>-]\s*\{[^{}]*?[a-z-]+\s*:\s*[^{};:]+[;}]")
JS_CODE = re.compile(r"\bfunction\b|=>|addEventListener|\bdocument\.\w|\b(?:var|let|const)\s+\w+\s*=")
# Dash's clientside callbacks are strings by Dash's API: a one-line call into assets/*.js is allowed
CLIENTSIDE_CALL = re.compile(r"function\s*\([\w\s,]*\)\s*\{\s*return window\.barometer\.\w+\([\w\s,]*\);\s*\}")
# Dash.renderer is inline JavaScript by Dash's API (app/web/first_paint.py: its CSP hash is taken at start-up)
ALLOWED = {("app/web/first_paint.py", "DEFERRED_RENDERER")}
LONG = 80


def _literals(tree: ast.AST) -> list[tuple[ast.AST, str]]:
    """Every string literal of a module as written: an f-string is one literal (its fields stand as 'X')."""
    parts = {id(value) for node in ast.walk(tree) if isinstance(node, ast.JoinedStr) for value in node.values}
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.JoinedStr):
            found.append((node, "".join(v.value if isinstance(v, ast.Constant) else "X" for v in node.values)))
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in parts:
            found.append((node, node.value))
    return found


def _assigned_names(tree: ast.AST) -> dict[int, str]:
    """The name each literal (or the expression holding it) is assigned to at module level, by node id."""
    names: dict[int, str] = {}
    for statement in getattr(tree, "body", []):
        if isinstance(statement, (ast.Assign, ast.AnnAssign)):
            targets = statement.targets if isinstance(statement, ast.Assign) else [statement.target]
            for target in targets:
                if isinstance(target, ast.Name) and statement.value is not None:
                    for node in ast.walk(statement.value):
                        names[id(node)] = target.id
    return names


def looks_like_code(text: str) -> bool:
    """CSS rules or a JavaScript function body: a long literal with braces and CSS declarations or JS syntax."""
    if "{" not in text or CLIENTSIDE_CALL.fullmatch(text.strip()):
        return False
    return len(text) > LONG and bool(CSS_RULE.search(text) or JS_CODE.search(text))


def test_the_check_sees_css_and_javascript_and_lets_clientside_calls_through() -> None:
    assert looks_like_code(static_text("base.css")) and looks_like_code(static_text("follow.css"))
    assert looks_like_code(static_text("follow.js")) and looks_like_code(static_text("offline.js"))
    assert looks_like_code("(function () { var a = 1; document.addEventListener('keydown', go); })(); // " + "x" * 40)
    assert not looks_like_code("function(targets, drawn) { return window.barometer.syncUrl(targets, drawn); }")
    assert not looks_like_code('<button class="button" type="button" id="{id}">{text}</button>' + " " * 40)
    assert not looks_like_code("SELECT count(*) FROM deck WHERE created_at > now() - make_interval(secs => %s)")


def test_no_python_module_holds_css_or_javascript() -> None:
    offenders = []
    for path in sorted(APP_DIR.rglob("*.py")):
        relative = path.relative_to(PROJECT_ROOT).as_posix()
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=relative)
        names = _assigned_names(tree)
        for node, text in _literals(tree):
            if looks_like_code(text) and (relative, names.get(id(node))) not in ALLOWED:
                offenders.append(f"{relative}:{getattr(node, 'lineno', '?')}: {text.strip()[:60]!r}")
    assert not offenders, "CSS or JavaScript in Python strings (move it to assets/ or app/decks/static/):\n" + \
        "\n".join(offenders)


def _text_files() -> list[Path]:
    suffixes = {".py", ".js", ".css", ".html", ".json"}
    return sorted(p for root in (APP_DIR, ASSETS_DIR) for p in root.rglob("*")
                  if p.suffix in suffixes and p.is_file() and "__pycache__" not in p.parts and "vendor" not in p.parts)


def test_every_storage_name_is_spelled_once() -> None:
    quoted = re.compile(r"""["'](barometer\.[A-Za-z]+)["']""")
    spelled: dict[str, list[str]] = {}
    for path in _text_files():
        for name in quoted.findall(path.read_text(encoding="utf-8")):
            spelled.setdefault(name, []).append(path.relative_to(PROJECT_ROOT).as_posix())
    assert spelled.get("barometer.deckKeys") == ["assets/deck.js"], spelled.get("barometer.deckKeys")
    twice = {name: places for name, places in spelled.items() if len(places) > 1}
    assert not twice, f"storage names spelled more than once: {twice}"
    deck_keys = [p for p in _text_files() if "deckKeys" in p.read_text(encoding="utf-8")]
    assert deck_keys == [ASSETS_DIR / "deck.js"], deck_keys


def test_the_deck_pages_scripts_use_what_assets_deck_js_defines() -> None:
    deck_js = (ASSETS_DIR / "deck.js").read_text(encoding="utf-8")
    assert "window.barometerDecks = {" in deck_js
    assert (ASSETS_DIR / DECK_JS_URL.removeprefix("/assets/")).is_file()
    for name in ("deck-page.js", "present.js"):
        used = set(re.findall(r"\bdecks\.(\w+)\(", static_text(name)))
        assert used and "window.barometerDecks" in static_text(name), name
        for function in used:
            assert re.search(rf"\n\s+{function}: ", deck_js), f"{name} calls barometerDecks.{function}"


def test_static_files_are_safe_inline_and_packaged() -> None:
    files = sorted(STATIC_DIR.iterdir())
    assert {p.suffix for p in files} == {".css", ".js"}
    for path in files:
        assert "</" not in path.read_text(encoding="utf-8"), f"{path.name} would end its element early"
    globs = tomllib.loads((PROJECT_ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["package-data"]["app"]
    read_beside = [*files, *(APP_DIR / "vendor").glob("*.js"), *(APP_DIR / "i18n").glob("*.json")]
    for path in read_beside:
        relative = path.relative_to(APP_DIR).as_posix()
        assert any(fnmatch.fnmatch(relative, glob) for glob in globs), f"app/{relative} is not package data"


def test_a_light_page_allows_exactly_its_inlined_script() -> None:
    script = static_text("follow.js")
    response = light_page("sv", "Följ", "<main></main>", script=script, style=static_text("follow.css"),
                          scripts=[DECK_JS_URL])
    html = response.get_data(as_text=True)
    assert static_text("base.css") + static_text("follow.css") in html
    assert f'<script src="{DECK_JS_URL}"></script><script>{script}</script></body>' in html
    inline = re.search(r"<script>(.*?)</script>", html, re.S).group(1)
    policy = response.headers["Content-Security-Policy"]
    assert inline == script and script_hash(inline) in policy and policy.count("'sha256-") == 1
