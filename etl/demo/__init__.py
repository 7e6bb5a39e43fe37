"""Deterministic synthetic microdata in each country's native layout, calibrated to published figures."""
