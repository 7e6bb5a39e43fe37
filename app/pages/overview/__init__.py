"""Overview: headline cards per country, a Nordic tile grid and the published headline figures."""

from app.pages.overview import layout, view
from app.site.registry import Page

PAGE = Page(
    name=view.NAME, segment="", home=True, api_rank=40,
    view_class=view.VIEW_CLASS, parse=view.parse, layout=layout.layout, present=layout.present,
    dataset=layout.dataset,
    api_description="Headline share of innovative units per country (latest wave) and the published headline "
                    "figures.",
)
