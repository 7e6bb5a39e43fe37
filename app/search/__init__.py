"""Find a chart: an index of the views (built per data version from the catalogue's labels and questions in six
languages, the national question wordings and the published figures' measures and quotes), its API endpoint
(/api/v1/search) and the search box in the page header."""
