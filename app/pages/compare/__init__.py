"""Compare: one indicator option across countries and waves, with 95% CIs, differences and warnings."""

from app.pages.compare import layout, slide, view
from app.site.registry import Page

PAGE = Page(
    name=view.NAME, api_endpoint="estimates", api_rank=10,
    view_class=view.CompareView, parse=view.parse, parameter_doc=view.PARAMETER_DOC,
    parameter_schema=view.PARAMETER_SCHEMA,
    layout=layout.layout, present=layout.present, embed=layout.embed, results=layout.results,
    dataset=layout.dataset, slide=slide.slide, register_callbacks=layout.register_callbacks,
    api_description="One indicator option across countries and waves for a level and sector, with 95% CI, n, "
                    "flags, sources and the Nordic average.",
)
