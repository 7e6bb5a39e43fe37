"""What the browser downloads: the vendored partial plotly.js bundle, and static bundles compressed once."""

from __future__ import annotations

import re

from plotly.offline import get_plotlyjs_version

from app import vendor
from app.web.caching.compression import StaticBundleCache

ENCODING = {"Accept-Encoding": "gzip, deflate, br, zstd"}


def scripts(client) -> list[str]:
    return re.findall(r'<script src="([^"]+)"', client.get("/en/compare").get_data(as_text=True))


def test_vendored_plotly_js_is_the_version_plotly_writes_figures_for() -> None:
    assert vendor.__version__ == get_plotlyjs_version()  # update app/vendor (see its README) after an upgrade


def test_page_loads_the_cartesian_bundle_not_the_full_one(client) -> None:
    sources = scripts(client)
    plotly = [s for s in sources if "plotly" in s and "locale" not in s]
    assert plotly == [s for s in sources if "/app.vendor/plotly-cartesian.v" in s] and len(plotly) == 1
    # plotly's texts per language: files after the bundle (the CSP allows no inline script)
    locales = [s for s in sources if "/app.vendor/plotly-locale-" in s]
    assert len(locales) == len(vendor.PLOTLY_LOCALE_FILES)
    assert all(sources.index(plotly[0]) < sources.index(s) for s in locales)
    assert all(client.get(s).status_code == 200 for s in locales)
    renderer = next(i for i, s in enumerate(sources) if "dash_renderer" in s)
    assert sources.index(plotly[0]) < renderer  # window.Plotly exists before any graph renders
    response = client.get(plotly[0], headers=ENCODING)
    assert response.status_code == 200 and response.headers["Content-Encoding"] in ("zstd", "br", "gzip")
    assert "max-age=31536000" in response.headers["Cache-Control"]  # fingerprinted: a year
    assert len(response.data) < 600_000  # the full bundle is 1.4 MB compressed


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
