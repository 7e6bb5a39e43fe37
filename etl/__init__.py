"""Codebook-driven ETL: national barometer files -> harmonised tables and estimates in Postgres."""
