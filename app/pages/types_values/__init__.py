"""Types x values: a cross-tab of the catalogue (innovation type x value achieved unless another is chosen), for
one wave."""

from app.pages.types_values import layout, slide, view
from app.site.registry import Page

PAGE = Page(
    name=view.NAME, api_rank=30,
    view_class=view.TypesValuesView, parse=view.parse, parameter_doc=view.PARAMETER_DOC,
    parameter_schema=view.PARAMETER_SCHEMA,
    layout=layout.layout, present=layout.present, embed=layout.embed, results=layout.results,
    dataset=layout.dataset, slide=slide.slide, register_callbacks=layout.register_callbacks,
    api_description="Cross-tab of innovation type x value achieved for one wave (share of units with the type "
                    "whose latest innovation achieved the value), or of another cross-tab the catalogue declares "
                    "(crosstab): type_code and value_code are then its row and column options.",
)
