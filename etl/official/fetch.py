"""Download official tables into snapshots: Statistics Denmark's StatBank API v1 and PxWeb API v1.

StatBank: ``GET {base}/tableinfo/{TABLE}?format=JSON`` gives the table's variables; ``GET
{base}/data/{TABLE}/BULK?valuePresentation=Code&VAR=*...`` gives every cell as semicolon CSV with codes
(BULK needs a selection for every variable). PxWeb: ``GET URL`` gives the table's variables; ``POST URL``
with a query selecting every value and ``response.format = json-stat2`` gives a JSON-stat 2.0 dataset.

A download is parsed through the table's mapping before its snapshot is moved into place, so a failed or
unloadable download changes nothing. Without a network it fails after FETCH_TIMEOUT seconds at most.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path, PurePosixPath

from core.config import Settings
from etl.catalogue import Catalogue
from etl.errors import EtlError, FetchError
from etl.official.formats import read_official
from etl.official.mapping import TableMapping, harmonise_official, load_mapping, mapping_path
from etl.official.snapshot import Snapshot, now_utc, sha256_bytes, write_snapshot

USER_AGENT = "nordic-innovation-barometer-explorer (official tables)"


def _request(url: str, timeout: float, *, body: dict | None = None, check: str = "the URL") -> bytes:
    data = json.dumps(body).encode("utf-8") if body is not None else None
    headers = {"User-Agent": USER_AGENT, "Accept": "application/json, text/csv, */*"}
    if data is not None:
        headers["Content-Type"] = "application/json"
    request = urllib.request.Request(url, data=data, headers=headers, method="POST" if data else "GET")
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # _check_url: http(s) only
            return response.read()
    except urllib.error.HTTPError as exc:
        detail = exc.read()[:300].decode("utf-8", "replace").strip()
        raise FetchError(f"{url} answered HTTP {exc.code} {exc.reason}: {detail}") from None
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        raise FetchError(f"cannot reach {url} within {timeout:g} s ({reason}). Check the network connection "
                         f"or {check}; nothing was written.") from None


def _json(content: bytes, url: str) -> dict:
    try:
        doc = json.loads(content.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise FetchError(f"{url} did not answer with JSON ({exc})") from None
    if not isinstance(doc, dict) or not isinstance(doc.get("variables"), list) or not doc["variables"]:
        raise FetchError(f"{url}: the table metadata lists no variables")
    return doc


def _check_url(url: str) -> None:
    if urllib.parse.urlsplit(url).scheme not in ("http", "https"):
        raise FetchError(f"{url!r} is not an http(s) URL")


def _mapping(settings: Settings, catalogue: Catalogue, table: str, api: str) -> TableMapping:
    mapping = load_mapping(mapping_path(settings.official_mapping_dir, table), catalogue)
    if mapping.api != api:
        raise EtlError(f"the mapping says source.api {mapping.api!r}, not {api!r}", file=mapping.path,
                       variable="source.api")
    return mapping


def _loadable(mapping: TableMapping, file: str):
    """A check that the downloaded file parses and maps, run before the snapshot is moved into place."""
    def check(folder: Path) -> None:
        harmonise_official(read_official(folder / file, mapping.file_format), mapping, folder / file)
    return check


def fetch_statbank(table: str, settings: Settings, catalogue: Catalogue) -> Path:
    """Download one StatBank table (every cell, codes) into a new snapshot folder; returns the folder."""
    table = table.strip().upper()
    mapping = _mapping(settings, catalogue, table, "statbank")
    if mapping.file_format != "statbank_bulk":
        raise EtlError("a StatBank table is fetched as BULK: set source.format to statbank_bulk",
                       file=mapping.path, variable="source.format")
    base = settings.statbank_api_url
    _check_url(base)
    info_url = f"{base}/tableinfo/{urllib.parse.quote(table)}?format=JSON&lang=en"
    check = "the base URL (STATBANK_API_URL)"
    info_bytes = _request(info_url, settings.fetch_timeout_s, check=check)
    info = _json(info_bytes, info_url)
    selection = [(str(v["id"]), "*") for v in info["variables"] if isinstance(v, dict) and v.get("id")]
    query = urllib.parse.urlencode([("valuePresentation", "Code"), ("lang", "en"), *selection])
    data_url = f"{base}/data/{urllib.parse.quote(table)}/BULK?{query}"
    retrieved_at = now_utc()
    data = _request(data_url, settings.fetch_timeout_s, check=check)
    snapshot = Snapshot(table=table, obtained_by="statbank", source_url=data_url, retrieved_at=retrieved_at,
                        file="data.csv", format="statbank_bulk", sha256=sha256_bytes(data),
                        licence=mapping.licence, citation=mapping.citation, metadata_file="tableinfo.json")
    return write_snapshot(settings.official_snapshot_dir, snapshot,
                          {"data.csv": data, "tableinfo.json": info_bytes}, check=_loadable(mapping, "data.csv"))


def pxweb_table_id(url: str) -> str:
    """The table id of a PxWeb API table URL: its last path segment without ``.px``."""
    name = PurePosixPath(urllib.parse.urlsplit(url).path).name
    if not name:
        raise FetchError(f"{url!r} names no table (expected .../TABLE or .../TABLE.px)")
    return name[:-3] if name.lower().endswith(".px") else name


def fetch_pxweb(url: str, settings: Settings, catalogue: Catalogue) -> Path:
    """Download one PxWeb table (every value) as JSON-stat 2.0 into a new snapshot folder."""
    _check_url(url)
    table = pxweb_table_id(url)
    mapping = _mapping(settings, catalogue, table, "pxweb")
    if mapping.file_format != "jsonstat":
        raise EtlError("a PxWeb table is fetched as JSON-stat 2.0: set source.format to jsonstat",
                       file=mapping.path, variable="source.format")
    meta_bytes = _request(url, settings.fetch_timeout_s)
    meta = _json(meta_bytes, url)
    query = {"query": [{"code": v["code"], "selection": {"filter": "all", "values": ["*"]}}
                       for v in meta["variables"] if isinstance(v, dict) and v.get("code")],
             "response": {"format": "json-stat2"}}
    retrieved_at = now_utc()
    data = _request(url, settings.fetch_timeout_s, body=query)
    snapshot = Snapshot(table=table, obtained_by="pxweb", source_url=url, retrieved_at=retrieved_at,
                        file="data.json", format="jsonstat", sha256=sha256_bytes(data), licence=mapping.licence,
                        citation=mapping.citation, metadata_file="metadata.json")
    return write_snapshot(settings.official_snapshot_dir, snapshot,
                          {"data.json": data, "metadata.json": meta_bytes}, check=_loadable(mapping, "data.json"))
