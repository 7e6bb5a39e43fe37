"""What the browser downloads: the vendored partial plotly.js bundle, a visit's files as three bundles
(app/web/bundles.py), and static bundles compressed once."""

from __future__ import annotations

import re

from plotly.offline import get_plotlyjs_version

from app import vendor
from app.web.bundles import DASH_DIR, build_bundles, script_part
from app.web.caching.compression import StaticBundleCache
from core.config import PROJECT_ROOT

ASSETS = PROJECT_ROOT / "assets"
VENDOR_DIR = PROJECT_ROOT / "app" / "vendor"
ENCODING = {"Accept-Encoding": "gzip, deflate, br, zstd"}


def scripts(client) -> list[str]:
    return re.findall(r'<script src="([^"]+)"', client.get("/en/compare").get_data(as_text=True))


def test_vendored_plotly_js_is_the_version_plotly_writes_figures_for() -> None:
    assert vendor.__version__ == get_plotlyjs_version()  # update app/vendor (see its README) after an upgrade


LIBRARIES = "/assets/bundles/dash-renderer-libraries.js?m="


def test_page_loads_the_cartesian_bundle_not_the_full_one(client) -> None:
    sources = scripts(client)
    libraries = [s for s in sources if s.startswith(LIBRARIES)]
    assert len(libraries) == 1 and not [s for s in sources if "plotly" in s]
    response = client.get(libraries[0], headers=ENCODING)
    assert response.status_code == 200 and response.headers["Content-Encoding"] in ("zstd", "br", "gzip")
    assert "max-age=31536000" in response.headers["Cache-Control"]  # versioned by its content: a year
    assert len(response.data) < 800_000  # the full plotly.js bundle alone is 1.4 MB compressed
    body = client.get(libraries[0]).get_data()
    # plotly.js after React and before Dash's renderer (window.Plotly exists before any graph renders), its
    # texts per language right after it (the CSP allows no inline script)
    plotly = b"\n;\n".join((VENDOR_DIR / name).read_bytes().rstrip()
                            for name in (vendor.PLOTLY_JS, *vendor.PLOTLY_LOCALE_FILES))
    react = (DASH_DIR / "deps/react-dom@18.3.1.min.js").read_bytes().rstrip()
    renderer = (DASH_DIR / "dash-renderer/build/dash_renderer.min.js").read_bytes().rstrip()
    assert 0 < body.index(react) < body.index(plotly) < body.index(renderer)


def test_a_page_links_the_apps_styles_and_scripts_as_one_file_each(client) -> None:
    document = client.get("/en/compare").get_data(as_text=True)
    styles = re.findall(r'<link rel="stylesheet" href="([^"]+)"', document)
    assert len(styles) == 1 and styles[0].startswith("/assets/bundles/app.css?m=")
    sources = scripts(client)
    # the app's scripts, the libraries, and Dash's core components at Dash's address (its lazily loaded parts are
    # found from there)
    assert len(sources) == 3 and sources[0].startswith("/assets/bundles/app.js?m=")
    assert sources[1].startswith(LIBRARIES)
    assert re.fullmatch(r"/_dash-component-suites/dash/dcc/dash_core_components\.v[0-9_]+m[0-9]+\.js", sources[2])
    # in the order Dash linked the single files (by name): the cascade and the scripts' order are as before
    css = sorted(ASSETS.glob("*.css"))
    assert [p.name for p in css] == ["coverage.css", "deck.css", "search.css", "style.css"]
    assert client.get(styles[0]).get_data() == b"\n".join(p.read_bytes().rstrip() for p in css) + b"\n"
    js = sorted(ASSETS.glob("*.js"))
    assert client.get(sources[0]).get_data() == b"\n;\n".join(p.read_bytes().rstrip() for p in js) + b"\n"
    # the single files are still served (deck documents link deck.js), and so are Dash's
    assert client.get("/assets/deck.js").get_data() == (ASSETS / "deck.js").read_bytes()
    assert client.get("/assets/bundles/deck.js?m=1").status_code == 404
    # the site's icon is in the page: no request for it
    assert '<link rel="icon" type="image/svg+xml" href="data:image/svg+xml,%3Csvg ' in document
    assert "_favicon.ico" not in document


def test_a_bundle_is_versioned_by_its_content(tmp_path) -> None:
    (tmp_path / "b.css").write_text("b { color: red }\n\n")
    (tmp_path / "a.css").write_text("a { color: blue }")
    (tmp_path / "x.js").write_text("x()")
    (tmp_path / "notes.txt").write_text("not linked")
    first = build_bundles(tmp_path)
    assert first.styles.body == b"a { color: blue }\nb { color: red }\n"
    assert first.scripts.body == b"x()\n" and first.scripts.mimetype == "text/javascript"
    assert first.styles.url == f"/assets/bundles/app.css?m={first.styles.version}"
    assert first.icon_link == ""  # no icon.svg: Dash's icon stays
    (tmp_path / "a.css").write_text("a { color: green }")
    second = build_bundles(tmp_path)
    assert second.styles.version != first.styles.version and second.scripts.version == first.scripts.version
    assert second.libraries.version == first.libraries.version


def test_a_script_that_declares_strict_mode_keeps_it_to_itself(tmp_path) -> None:
    chunk = tmp_path / "chunk.js"
    chunk.write_text('/* licence */\n"use strict";(self.list=self.list||[]).push(1);\n')
    plain = tmp_path / "plain.js"
    plain.write_text("(function () { 'use strict'; f(); })()")
    assert script_part(chunk) == (b'(function () {\n/* licence */\n"use strict";(self.list=self.list||[]).push(1);'
                                  b"\n})();")
    assert script_part(plain) == plain.read_bytes()  # strict inside its own function already


def test_dashs_tags_for_what_the_bundles_carry_are_taken_out(client) -> None:
    bundles = client.application.extensions["bundles"]
    assert bundles.dash_files[:4] == ("deps/polyfill@7.12.1.min.js", "deps/react@18.3.1.min.js",
                                      "deps/react-dom@18.3.1.min.js", "deps/prop-types@15.8.1.min.js")
    assert bundles.dash_files[-3:] == ("dcc/dash_core_components-shared.js", "dcc/async-graph.js",
                                       "dcc/async-dropdown.js")
    tags = ('<script src="/_dash-component-suites/dash/deps/react@18.v4_4_1m1796671718.3.1.min.js"></script>\n'
            '<script src="/_dash-component-suites/dash/dcc/dash_core_components.v4_4_1m1796671718.js"></script>\n'
            '<script src="/_dash-component-suites/dash/html/dash_html_components.v4_4_1m1.min.js"></script>\n'
            '<script src="/_dash-component-suites/dash/dash_table/bundle.v7_4_1m1796671718.js"></script>\n'
            '<script src="/assets/bundles/app.js?m=1"></script>')
    assert bundles.without_bundled(tags) == (
        '<script src="/_dash-component-suites/dash/dcc/dash_core_components.v4_4_1m1796671718.js"></script>\n'
        '<script src="/assets/bundles/app.js?m=1"></script>')


def test_static_bundles_are_compressed_once_and_callbacks_never_stored(client, monkeypatch) -> None:
    import flask_compress.flask_compress as fc

    compressed: list[int] = []
    real = fc._compress_data
    monkeypatch.setattr(fc, "_compress_data", lambda app, data, algorithm: compressed.append(len(data))
                        or real(app, data, algorithm))
    bundle = next(s for s in scripts(client) if "dash_core_components" in s)
    first, second = (client.get(bundle, headers=ENCODING).data for _ in range(2))
    assert first == second and len(compressed) <= 1  # at most once (not at all when an earlier test did)
    compressed.clear()
    for _ in range(2):
        client.post("/_dash-update-component", json={"output": "x.children", "outputs": {"id": "x",
                                                     "property": "children"}, "inputs": [], "changedPropIds": []},
                    headers=ENCODING)
    cache = client.application.extensions["compress"].cache
    assert isinstance(cache, StaticBundleCache)
    assert all(key.partition(";")[2].startswith(("/_dash-component-suites/", "/assets/")) for key in cache._entries)


def test_bundle_cache_is_bounded() -> None:
    cache = StaticBundleCache(max_entries=2)
    for n in range(5):
        cache.set(f"zstd;/assets/app.js?m={n}", b"x")
    cache.set("zstd;", b"never")
    assert list(cache._entries) == ["zstd;/assets/app.js?m=3", "zstd;/assets/app.js?m=4"]
    assert cache.get("zstd;") is None
