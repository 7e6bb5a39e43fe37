"""Decks: talks made of views, stored in PostgreSQL, presented, followed on phones and carried offline."""
