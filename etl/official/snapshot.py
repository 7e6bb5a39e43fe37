"""Snapshots of official tables: the raw file as received, with where and when it came from.

A snapshot is a folder ``<snapshot dir>/<TABLE>/<YYYYMMDDTHHMMSSZ>/`` holding the raw data file, the
publisher's metadata (if any) and ``snapshot.yaml`` (table, how it was obtained, source URL, retrieval time,
SHA-256 of the data file, format, licence, citation). It is written into a hidden temporary folder and
renamed into place only when complete, so a failed download leaves nothing behind. The ETL loads the
newest snapshot of each table, after checking the data file against its pinned SHA-256.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path

import yaml

from etl.errors import EtlError
from etl.official.formats import FORMATS

METADATA_FILE = "snapshot.yaml"
OBTAINED = ("statbank", "pxweb", "transcription")
STAMP_FORMAT = "%Y%m%dT%H%M%SZ"


@dataclass(frozen=True)
class Snapshot:
    table: str
    obtained_by: str  # statbank / pxweb: downloaded; transcription: typed from a publication by hand
    source_url: str
    retrieved_at: str  # ISO 8601, UTC
    file: str
    format: str
    sha256: str
    licence: str
    citation: str
    metadata_file: str | None = None
    note: str | None = None


@dataclass(frozen=True)
class SnapshotOnDisk:
    folder: Path
    snapshot: Snapshot

    @property
    def data_path(self) -> Path:
        return self.folder / self.snapshot.file


def sha256_bytes(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def read_snapshot(folder: Path) -> SnapshotOnDisk:
    """Read and check ``folder/snapshot.yaml`` and the data file's checksum."""
    path = folder / METADATA_FILE
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise EtlError(f"cannot read the snapshot description ({exc})", file=path) from None
    if not isinstance(raw, dict):
        raise EtlError("a snapshot description is a YAML mapping", file=path)
    try:
        snapshot = Snapshot(**{k: (str(v) if v is not None else None) for k, v in raw.items()})
    except TypeError as exc:
        raise EtlError(f"keys do not fit a snapshot ({exc})", file=path) from None
    for key in ("table", "source_url", "retrieved_at", "file", "sha256", "licence", "citation"):
        if not getattr(snapshot, key):
            raise EtlError(f"key {key!r} is missing", file=path, variable=key)
    if snapshot.obtained_by not in OBTAINED or snapshot.format not in FORMATS:
        raise EtlError(f"obtained_by must be one of {OBTAINED} and format one of {FORMATS}", file=path)
    try:
        datetime.fromisoformat(snapshot.retrieved_at)
    except ValueError:
        raise EtlError(f"retrieved_at {snapshot.retrieved_at!r} is not an ISO 8601 time", file=path,
                       variable="retrieved_at") from None
    data = folder / snapshot.file
    if not data.is_file():
        raise EtlError(f"the data file {snapshot.file!r} named by the snapshot is missing", file=path,
                       variable="file")
    if snapshot.metadata_file and not (folder / snapshot.metadata_file).is_file():
        raise EtlError(f"the metadata file {snapshot.metadata_file!r} named by the snapshot is missing", file=path,
                       variable="metadata_file")
    actual = sha256_bytes(data.read_bytes())
    if actual != snapshot.sha256:
        raise EtlError(f"SHA-256 {actual} differs from the pinned {snapshot.sha256}: the file changed after it "
                       "was retrieved", file=data)
    return SnapshotOnDisk(folder, snapshot)


def latest_snapshots(directory: Path) -> list[SnapshotOnDisk]:
    """The newest complete snapshot of every table under ``directory`` (hidden folders are unfinished)."""
    if not directory.is_dir():
        return []
    found = []
    for table_dir in sorted(p for p in directory.iterdir() if p.is_dir() and not p.name.startswith(".")):
        stamps = sorted(p for p in table_dir.iterdir() if p.is_dir() and not p.name.startswith("."))
        if stamps:
            found.append(read_snapshot(stamps[-1]))
    return found


def write_snapshot(directory: Path, snapshot: Snapshot, files: dict[str, bytes], *,
                   check=None) -> Path:
    """Write ``files`` and the snapshot description atomically; returns the new folder.

    ``check(folder)`` may inspect the complete temporary folder (e.g. parse it) and raise; then nothing is
    left behind. The folder is renamed into place only after every file is written and checked.
    """
    stamp = datetime.fromisoformat(snapshot.retrieved_at).astimezone(UTC).strftime(STAMP_FORMAT)
    table_dir = directory / snapshot.table
    final = table_dir / stamp
    if final.exists():
        raise EtlError(f"a snapshot taken at {stamp} already exists", file=final)
    table_dir.mkdir(parents=True, exist_ok=True)
    temporary = Path(tempfile.mkdtemp(prefix=f".{stamp}-", dir=table_dir))
    try:
        for name, content in files.items():
            (temporary / name).write_bytes(content)
        description = {k: v for k, v in asdict(snapshot).items() if v is not None}
        (temporary / METADATA_FILE).write_text(yaml.safe_dump(description, sort_keys=False, allow_unicode=True),
                                               encoding="utf-8")
        if check is not None:
            check(temporary)
        os.rename(temporary, final)
    except BaseException:
        shutil.rmtree(temporary, ignore_errors=True)
        if not any(table_dir.iterdir()):
            table_dir.rmdir()
        raise
    return final


def now_utc() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat()
