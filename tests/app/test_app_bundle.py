"""What the browser downloads: the vendored partial plotly.js bundle."""

from __future__ import annotations

import re

from plotly.offline import get_plotlyjs_version

from app import vendor

ENCODING = {"Accept-Encoding": "gzip, deflate, br, zstd"}


def scripts(client) -> list[str]:
    return re.findall(r'<script src="([^"]+)"', client.get("/en/compare").get_data(as_text=True))


def test_vendored_plotly_js_is_the_version_plotly_writes_figures_for() -> None:
    assert vendor.__version__ == get_plotlyjs_version()  # update app/vendor (see its README) after an upgrade


def test_page_loads_the_cartesian_bundle_not_the_full_one(client) -> None:
    sources = scripts(client)
    plotly = [s for s in sources if "plotly" in s]
    assert plotly == [s for s in sources if "/app.vendor/plotly-cartesian.v" in s] and len(plotly) == 1
    renderer = next(i for i, s in enumerate(sources) if "dash_renderer" in s)
    assert sources.index(plotly[0]) < renderer  # window.Plotly exists before any graph renders
    response = client.get(plotly[0], headers=ENCODING)
    assert response.status_code == 200 and response.headers["Content-Encoding"] in ("zstd", "br", "gzip")
    assert "max-age=31536000" in response.headers["Cache-Control"]  # fingerprinted: a year
    assert len(response.data) < 600_000  # the full bundle is 1.4 MB compressed

