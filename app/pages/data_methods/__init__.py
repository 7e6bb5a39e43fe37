"""Data & methods: provenance of every wave, method notes, published figures, official tables and the API."""

from app.pages.data_methods import layout, view
from app.site.registry import Page

PAGE = Page(
    name=view.NAME, api_endpoint="sources", methods=True, api_rank=50,
    view_class=view.VIEW_CLASS, parse=view.parse, layout=layout.layout, dataset=layout.dataset,
    api_description="Provenance of every wave: citation, licence, file, codebook, checksums, minimum cell size, "
                    "comparability notes.",
)
