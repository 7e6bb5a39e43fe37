"""What the browser downloads: the vendored partial plotly.js bundle, and static bundles compressed once."""

from __future__ import annotations

import re

from plotly.offline import get_plotlyjs_version

from app import vendor
from app.web.bundles import build_bundles
from app.web.caching.compression import StaticBundleCache
from core.config import PROJECT_ROOT

ASSETS = PROJECT_ROOT / "assets"
VENDOR_DIR = PROJECT_ROOT / "app" / "vendor"
ENCODING = {"Accept-Encoding": "gzip, deflate, br, zstd"}


def scripts(client) -> list[str]:
    return re.findall(r'<script src="([^"]+)"', client.get("/en/compare").get_data(as_text=True))


def test_vendored_plotly_js_is_the_version_plotly_writes_figures_for() -> None:
    assert vendor.__version__ == get_plotlyjs_version()  # update app/vendor (see its README) after an upgrade


def test_page_loads_the_cartesian_bundle_not_the_full_one(client) -> None:
    sources = scripts(client)
    plotly = [s for s in sources if "plotly" in s]
    assert plotly == [s for s in sources if s.startswith("/assets/bundles/plotly.js?m=")] and len(plotly) == 1
    renderer = next(i for i, s in enumerate(sources) if "dash_renderer" in s)
    assert sources.index(plotly[0]) < renderer  # window.Plotly exists before any graph renders
    response = client.get(plotly[0], headers=ENCODING)
    assert response.status_code == 200 and response.headers["Content-Encoding"] in ("zstd", "br", "gzip")
    assert "max-age=31536000" in response.headers["Cache-Control"]  # versioned by its content: a year
    assert len(response.data) < 600_000  # the full bundle is 1.4 MB compressed
    # plotly's texts per language follow the bundle in the same file (the CSP allows no inline script)
    body = client.get(plotly[0]).get_data()
    parts = [(VENDOR_DIR / name).read_bytes().rstrip() for name in (vendor.PLOTLY_JS, *vendor.PLOTLY_LOCALE_FILES)]
    assert body == b"\n;\n".join(parts) + b"\n"


def test_a_page_links_the_apps_styles_and_scripts_as_one_file_each(client) -> None:
    document = client.get("/en/compare").get_data(as_text=True)
    styles = re.findall(r'<link rel="stylesheet" href="([^"]+)"', document)
    assert len(styles) == 1 and styles[0].startswith("/assets/bundles/app.css?m=")
    own = [s for s in scripts(client) if s.startswith("/assets/")]
    assert len(own) == 2 and own[0].startswith("/assets/bundles/app.js?m=")  # and plotly's
    linked = styles + scripts(client)
    assert not [s for s in linked if re.search(r"dash_table|^/assets/[a-z-]+\.(js|css)", s)]  # no table loader
    # in the order Dash linked the single files (by name): the cascade and the scripts' order are as before
    css = sorted(ASSETS.glob("*.css"))
    assert [p.name for p in css] == ["coverage.css", "deck.css", "search.css", "style.css"]
    assert client.get(styles[0]).get_data() == b"\n".join(p.read_bytes().rstrip() for p in css) + b"\n"
    js = sorted(ASSETS.glob("*.js"))
    assert client.get(own[0]).get_data() == b"\n;\n".join(p.read_bytes().rstrip() for p in js) + b"\n"
    # the single files are still served (deck documents link deck.js)
    assert client.get("/assets/deck.js").get_data() == (ASSETS / "deck.js").read_bytes()
    assert client.get("/assets/bundles/deck.js?m=1").status_code == 404


def test_a_bundle_is_versioned_by_its_content(tmp_path) -> None:
    (tmp_path / "b.css").write_text("b { color: red }\n\n")
    (tmp_path / "a.css").write_text("a { color: blue }")
    (tmp_path / "x.js").write_text("x()")
    (tmp_path / "notes.txt").write_text("not linked")
    first = build_bundles(tmp_path)
    assert first.styles.body == b"a { color: blue }\nb { color: red }\n"
    assert first.scripts.body == b"x()\n" and first.scripts.mimetype == "text/javascript"
    assert first.styles.url == f"/assets/bundles/app.css?m={first.styles.version}"
    (tmp_path / "a.css").write_text("a { color: green }")
    second = build_bundles(tmp_path)
    assert second.styles.version != first.styles.version and second.scripts.version == first.scripts.version
    assert second.plotly.version == first.plotly.version


def test_static_bundles_are_compressed_once_and_callbacks_never_stored(client, monkeypatch) -> None:
    import flask_compress.flask_compress as fc

    compressed: list[int] = []
    real = fc._compress_data
    monkeypatch.setattr(fc, "_compress_data", lambda app, data, algorithm: compressed.append(len(data))
                        or real(app, data, algorithm))
    bundle = next(s for s in scripts(client) if "dash_renderer" in s)
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
