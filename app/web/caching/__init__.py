"""HTTP caching of the app: ETags and Cache-Control, kept callback answers, compressed bundles and their byte LRU."""
