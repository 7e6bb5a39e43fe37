"""View models shared by pages: cell status and texts, differences and averages, published figures, official tables."""
