"""Mapping YAMLs of official tables (``data/official/mappings/<TABLE>.yaml``), in the codebook style.

A mapping says what a published table is (table id, publisher, title, unit, measure, citation, licence)
and how each of its dimensions maps onto the harmonised ones: ``level``, ``sector``, ``size``,
``indicator_option`` (written ``indicator.option``), ``wave`` and, where the table publishes confidence
limits, ``statistic`` (codes to ``value``, ``ci_low``, ``ci_high``). A role the table has no dimension for
is given under ``fixed``. A category mapped to ``null`` is deliberately not loaded; a category the mapping
does not name stops the load, naming file, dimension and code.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import yaml

from etl.catalogue import Catalogue
from etl.errors import EtlError
from etl.official.formats import FORMATS, OfficialFrame

ROLES = ("level", "sector", "size", "indicator_option", "wave")
STATISTICS = ("value", "ci_low", "ci_high")
MEASURES = ("share", "count")
APIS = ("statbank", "pxweb", "file")
HARMONISED_COLUMNS = ("level", "sector", "size", "indicator", "option", "wave", "value", "ci_low", "ci_high",
                      "status")


@dataclass(frozen=True)
class DimensionMap:
    name: str  # the dimension's code in the publisher's files
    role: str  # one of ROLES or "statistic"
    codes: dict[str, str | None]  # national category code -> harmonised code (None: not loaded)


@dataclass(frozen=True)
class TableMapping:
    path: Path
    sha256: str
    table: str
    country: str
    publisher: str
    title_en: str
    api: str
    file_format: str
    citation: str
    licence: str
    licence_url: str | None
    source_url: str
    unit: str
    measure: str
    scale: float
    dimensions: tuple[DimensionMap, ...]
    fixed: dict[str, str]


def mapping_path(directory: Path, table: str) -> Path:
    return directory / f"{table}.yaml"


def load_mapping(path: Path, catalogue: Catalogue) -> TableMapping:
    """Read and check one mapping YAML; errors name the file and the key."""
    if not path.exists():
        raise EtlError("no mapping for this table: write one (copy data/official/mappings/OIN01DK.yaml)", file=path)
    raw_bytes = path.read_bytes()
    try:
        raw = yaml.safe_load(raw_bytes.decode("utf-8"))
    except yaml.YAMLError as exc:
        raise EtlError(f"not valid YAML ({exc})", file=path) from None
    if not isinstance(raw, dict):
        raise EtlError("a mapping is a YAML mapping of keys", file=path)

    def need(key: str, kind: type = str):
        value = raw.get(key)
        if value is None or not isinstance(value, kind) or value == "":
            raise EtlError(f"key {key!r} is missing or not a {kind.__name__}", file=path, variable=key)
        return value

    table = need("table")
    if table != path.stem:
        raise EtlError(f"table {table!r} differs from the file name {path.stem!r}", file=path, variable="table")
    source = need("source", dict)
    api, file_format = source.get("api"), source.get("format")
    if api not in APIS or file_format not in FORMATS:
        raise EtlError(f"source.api must be one of {APIS} and source.format one of {FORMATS}", file=path,
                       variable="source")
    measure = need("measure")
    if measure not in MEASURES:
        raise EtlError(f"measure must be one of {MEASURES}", file=path, variable="measure")
    country = need("country")
    if country not in catalogue.countries:
        raise EtlError(f"unknown country {country!r}", file=path, variable="country")
    scale = raw.get("scale", 1)
    if not isinstance(scale, int | float) or scale <= 0:
        raise EtlError("scale must be a positive number (100 when figures are percentages)", file=path,
                       variable="scale")
    fixed = {str(k): str(v) for k, v in (raw.get("fixed") or {}).items()}
    dimensions = []
    for name, spec in need("dimensions", dict).items():
        if not isinstance(spec, dict) or spec.get("to") not in (*ROLES, "statistic"):
            raise EtlError(f"dimension {name!r}: 'to' must be one of {(*ROLES, 'statistic')}", file=path,
                           variable=f"dimensions.{name}")
        codes = spec.get("codes")
        if not isinstance(codes, dict) or not codes:
            raise EtlError(f"dimension {name!r}: 'codes' must map the table's codes", file=path,
                           variable=f"dimensions.{name}")
        dimensions.append(DimensionMap(str(name), spec["to"],
                                       {str(k): (None if v is None else str(v)) for k, v in codes.items()}))
    mapping = TableMapping(
        path=path, sha256=hashlib.sha256(raw_bytes).hexdigest(), table=table, country=country,
        publisher=need("publisher"), title_en=need("title_en"), api=api, file_format=file_format,
        citation=need("citation"), licence=need("licence"), licence_url=raw.get("licence_url"),
        source_url=need("source_url"), unit=need("unit"), measure=measure, scale=float(scale),
        dimensions=tuple(dimensions), fixed=fixed,
    )
    _check_roles(mapping)
    _check_codes(mapping, catalogue)
    return mapping


def _check_roles(mapping: TableMapping) -> None:
    for role in ROLES:
        given = [d.name for d in mapping.dimensions if d.role == role] + (["fixed"] if role in mapping.fixed else [])
        if len(given) != 1:
            raise EtlError(f"role {role!r} must come from exactly one dimension or 'fixed', got {given or 'none'}",
                           file=mapping.path, variable="dimensions")
    unknown = set(mapping.fixed) - set(ROLES)
    if unknown:
        raise EtlError(f"fixed names unknown roles {sorted(unknown)}", file=mapping.path, variable="fixed")
    statistic = [d for d in mapping.dimensions if d.role == "statistic"]
    if len(statistic) > 1:
        raise EtlError("at most one dimension may be the statistic", file=mapping.path, variable="dimensions")


def _check_codes(mapping: TableMapping, catalogue: Catalogue) -> None:
    allowed = {
        "level": set(catalogue.government_levels),
        "sector": set(catalogue.sectors),
        "size": {"all", *catalogue.size_bands},
        "statistic": set(STATISTICS),
    }
    pairs = [(d.name, d.role, code) for d in mapping.dimensions for code in d.codes.values() if code is not None]
    pairs += [("fixed", role, code) for role, code in mapping.fixed.items()]
    for where, role, code in pairs:
        if role == "indicator_option":
            indicator, _, option = code.partition(".")
            known = catalogue.indicators.get(indicator)
            if known is None or option not in known.option_codes:
                raise EtlError(f"{code!r} is not a catalogue indicator.option", file=mapping.path,
                               variable=f"{where}")
        elif role in allowed and code not in allowed[role]:
            raise EtlError(f"{role} code {code!r} is not one of {sorted(allowed[role])}", file=mapping.path,
                           variable=f"{where}")


def harmonise_official(table: OfficialFrame, mapping: TableMapping, source: Path) -> pd.DataFrame:
    """The table's cells as harmonised rows (HARMONISED_COLUMNS); shares are stored as fractions 0..1."""
    # variable ids are matched without regard to case: StatBank writes Tid in tableinfo and may write TID
    in_file = {d.casefold(): d for d in table.dimensions}
    named = {d.name.casefold() for d in mapping.dimensions}
    missing = [d.name for d in mapping.dimensions if d.name.casefold() not in in_file]
    extra = [d for d in table.dimensions if d.casefold() not in named]
    if missing or extra:
        raise EtlError(f"the file's dimensions {list(table.dimensions)} do not match the mapping "
                       f"(not in the file: {missing}; not in the mapping: {extra})", file=source,
                       variable=", ".join(missing + extra))
    frame = table.frame.rename(columns={in_file[d.name.casefold()]: d.name for d in mapping.dimensions})
    keep = pd.Series(True, index=frame.index)
    for dim in mapping.dimensions:
        unmapped = sorted(set(frame[dim.name]) - set(dim.codes))
        if unmapped:
            raise EtlError(f"categories {unmapped} are not in mapping {mapping.path}", file=source,
                           variable=dim.name)
        frame[dim.name] = frame[dim.name].map(dim.codes)
        keep &= frame[dim.name].notna()
    frame = frame[keep]
    if frame.empty:
        raise EtlError(f"no cell is left once the categories mapped to null in {mapping.path} are left out",
                       file=source)
    columns = {d.role: frame[d.name] for d in mapping.dimensions}
    out = pd.DataFrame({role: columns[role] if role in columns else mapping.fixed[role] for role in ROLES},
                       index=frame.index)
    out[["indicator", "option"]] = out.pop("indicator_option").str.split(".", n=1, expand=True)
    out["value"], out["status"] = frame["value"].astype(float), frame["status"]
    statistic = next((d.name for d in mapping.dimensions if d.role == "statistic"), None)
    keys = ["level", "sector", "size", "indicator", "option", "wave"]
    if statistic is not None:
        out["statistic"] = frame[statistic]
        out = _spread_statistic(out, keys, source)
    else:
        out["ci_low"] = out["ci_high"] = float("nan")
    duplicated = out.duplicated(keys, keep=False)
    if duplicated.any():
        first = out[duplicated].iloc[0]
        raise EtlError(f"two cells of the table map onto the same harmonised cell {dict(first[keys])}", file=source,
                       variable="codes")
    for column in ("value", "ci_low", "ci_high"):
        out[column] = out[column] / mapping.scale
    _check_values(out, mapping, source)
    return out[list(HARMONISED_COLUMNS)].sort_values(keys).reset_index(drop=True)


def _spread_statistic(out: pd.DataFrame, keys: list[str], source: Path) -> pd.DataFrame:
    """One row per cell with value, ci_low and ci_high from a statistic dimension."""
    parts = {}
    for stat in STATISTICS:
        part = out[out["statistic"] == stat].set_index(keys)
        if part.index.duplicated().any():
            raise EtlError(f"statistic {stat!r} appears twice for one cell", file=source, variable="statistic")
        parts[stat] = part
    if "value" not in parts or parts["value"].empty:
        raise EtlError("the statistic dimension maps no category to 'value'", file=source, variable="statistic")
    wide = parts["value"][["value", "status"]].copy()
    for stat in ("ci_low", "ci_high"):
        wide[stat] = parts[stat]["value"].reindex(wide.index)
    return wide.reset_index()


def _check_values(out: pd.DataFrame, mapping: TableMapping, source: Path) -> None:
    for row in out.itertuples():
        where = f"{row.wave} {row.level}/{row.sector}/{row.size} {row.indicator}.{row.option}"
        if pd.isna(row.value):
            if not pd.isna(row.ci_low) or not pd.isna(row.ci_high):
                raise EtlError(f"cell {where}: confidence limits without a figure", file=source)
            continue
        if mapping.measure == "share" and not 0 <= row.value <= 1:
            raise EtlError(f"cell {where}: share {row.value * mapping.scale:g} is outside 0..{mapping.scale:g}",
                           file=source)
        if mapping.measure == "count" and row.value < 0:
            raise EtlError(f"cell {where}: negative count {row.value:g}", file=source)
        if pd.isna(row.ci_low) != pd.isna(row.ci_high) or (
                not pd.isna(row.ci_low) and not row.ci_low <= row.value <= row.ci_high):
            raise EtlError(f"cell {where}: confidence limits {row.ci_low}..{row.ci_high} do not hold "
                           f"the figure {row.value}", file=source)
