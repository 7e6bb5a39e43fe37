"""Country profile: one country across its waves and sectors, with its questions as asked."""

from app.pages.profile import layout, slide, view
from app.site.registry import Page

PAGE = Page(
    name=view.NAME, api_rank=20,
    view_class=view.ProfileView, parse=view.parse,
    layout=layout.layout, present=layout.present, embed=layout.embed, results=layout.results,
    dataset=layout.dataset, slide=slide.slide, register_callbacks=layout.register_callbacks,
    api_description="One country across its waves and sectors.",
)
