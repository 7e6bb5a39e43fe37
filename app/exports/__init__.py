"""What leaves the app as data: a view's records, CSV/XLSX files, citations, snippets, the data package, OpenAPI."""
