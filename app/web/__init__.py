"""The web layer: the JSON API and downloads, short links, the router, the first paint, guards and security headers."""
