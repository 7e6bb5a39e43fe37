"""Ready-to-run code that loads a view's data in pandas or R, from its CSV download and its JSON API address."""

from __future__ import annotations


def pandas_snippet(csv_url: str, api_url: str) -> str:
    """Python: the view's table from the CSV download, and the same records with metadata from the API."""
    return f'''import json
import urllib.request

import pandas as pd

# the table of this view (n, 95% CI, flags, sources and the demo label on every row)
table = pd.read_csv("{csv_url}", encoding="utf-8-sig")

# the same records with title, method, warnings and citation, from the JSON API
with urllib.request.urlopen("{api_url}") as response:
    view = json.load(response)
records = pd.DataFrame(view["data"])
print(view["title"], len(records), "rows")
'''


def r_snippet(csv_url: str, api_url: str) -> str:
    """R: the CSV download with base R, the API with jsonlite."""
    return f'''# the table of this view (n, 95% CI, flags, sources and the demo label on every row)
table <- read.csv("{csv_url}", fileEncoding = "UTF-8-BOM")

# the same records with title, method, warnings and citation, from the JSON API
# install.packages("jsonlite")
view <- jsonlite::fromJSON("{api_url}")
records <- view$data
cat(view$title, nrow(records), "rows\\n")
'''
