"""Searches in each of the six languages and the view the first result opens: (indicator, option, country), the
country None for a measure of every country. Shared by the API tests and the browser tests."""

SEARCHES = [
    ("en", "citizens Iceland", ("partner", "citizens", "IS")),
    ("nb", "samarbeid med private", ("partner", "private_firms", None)),
    ("da", "borgere Island", ("partner", "citizens", "IS")),
    ("sv", "privata företag Finland", ("partner", "private_firms", "FI")),
    ("fi", "yksityiset", ("partner", "private_firms", None)),
    ("is", "einkafyrirtæki Ísland", ("partner", "private_firms", "IS")),
]
