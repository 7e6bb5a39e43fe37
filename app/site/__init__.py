"""The site: the page registry (typed contract), URL parameters, addresses, page context and the request context."""
