"""The database of the app: the read-only pool and query cache, the queries, and the one writer of short links."""
