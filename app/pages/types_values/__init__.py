"""Types x values: a cross-tab of innovation type and what the latest innovation achieved, for one wave."""

from app.pages.types_values import layout, slide, view
from app.site.registry import Page

PAGE = Page(
    name=view.NAME, api_rank=30,
    view_class=view.TypesValuesView, parse=view.parse,
    layout=layout.layout, present=layout.present, embed=layout.embed, results=layout.results,
    dataset=layout.dataset, slide=slide.slide, register_callbacks=layout.register_callbacks,
    api_description="Cross-tab of innovation type x value achieved for one wave (share of units with the type "
                    "whose latest innovation achieved the value).",
)
