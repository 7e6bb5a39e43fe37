"""A wave read, harmonised and aggregated in chunks, so that a large file never lives whole in memory.

The raw table is read ``etl_chunk_rows`` records at a time and each chunk is harmonised on its own; what
is kept of it is the units (one row each) and their answers as one byte per unit and item (AnswerMatrix).
Estimates and cross-tabs are computed one item (or pair of items) at a time: every cell, its design
variance and its suppression margins lie within one indicator option, so the cells are those of the
whole-wave computation (etl.aggregate.compute_estimates) on the same rows in the same order.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pandas as pd

from etl.aggregate import ESTIMATE_COLUMNS, compute_estimates
from etl.catalogue import Catalogue
from etl.codebook import Codebook
from etl.cross_tab import CROSS_TAB_COLUMNS, compute_cross_tab
from etl.harmonise import HarmonisedWave, Item, harmonise_rows
from etl.readers import read_source_chunks


def harmonise_file(path: Path, codebook: Codebook, catalogue: Catalogue, chunk_rows: int | None) -> HarmonisedWave:
    """Read and harmonise ``path`` chunk by chunk; errors name the row in the file, whichever chunk it is in."""
    seen_ids: dict[str, int] = {}
    parts = [harmonise_rows(table, codebook, catalogue, seen_ids)
             for table in read_source_chunks(path, codebook.source, chunk_rows)]
    return HarmonisedWave.combine(codebook, parts)


BATCH_ROWS = 300_000  # long answer rows aggregated at a time: a small wave in one go, a large one in parts


def _batches(items: list[Item], rows: Callable[[Item], int], budget: int) -> Iterator[list[Item]]:
    """Consecutive groups of ``items`` of at most ``budget`` rows together (at least one item each)."""
    batch: list[Item] = []
    total = 0
    for item in items:
        if batch and total + rows(item) > budget:
            yield batch
            batch, total = [], 0
        batch.append(item)
        total += rows(item)
    if batch:
        yield batch


def estimates_by_item(wave: HarmonisedWave, *, min_n: int, z: float) -> pd.DataFrame:
    """The estimates of every cell of the wave (as compute_estimates of the whole wave), a few items at a time."""
    counts = wave.answer_counts()
    frames = [compute_estimates(wave.harmonised(items), min_n=min_n, z=z)
              for items in _batches(list(counts), counts.__getitem__, BATCH_ROWS)]
    if not frames:
        return pd.DataFrame(columns=ESTIMATE_COLUMNS)
    return pd.concat(frames, ignore_index=True).sort_values(ESTIMATE_COLUMNS[:4], ignore_index=True)


def cross_tabs_by_item(wave: HarmonisedWave, catalogue: Catalogue, *, min_n: int, z: float) -> pd.DataFrame:
    """The cells of every cross-tab the catalogue declares (as compute_cross_tabs), a few items at a time.

    A cell pairs one row option with one column option, so the row and column options are taken in groups
    small enough that the units' answers to a group of each stay within BATCH_ROWS.
    """
    answered = list(wave.answer_counts())
    units = max(len(wave.respondents), 1)
    group = max(1, (BATCH_ROWS // units - 1) // 2)
    tables = []
    for code, tab in catalogue.cross_tabs.items():
        base = catalogue.bases[tab.base]
        in_base = [item for item in answered if item == (base.indicator, base.option)]
        rows = [item for item in answered if item[0] == tab.rows]
        columns = [item for item in answered if item[0] == tab.columns]
        cells = [compute_cross_tab(wave.harmonised(list(dict.fromkeys([*row_group, *column_group, *in_base]))),
                                   code, tab, base, min_n=min_n, z=z)
                 for row_group in _groups(rows, group) for column_group in _groups(columns, group)]
        cells = [frame for frame in cells if not frame.empty]
        if cells:
            tables.append(pd.concat(cells, ignore_index=True).sort_values(CROSS_TAB_ORDER, ignore_index=True))
    return pd.concat(tables, ignore_index=True) if tables else pd.DataFrame(columns=CROSS_TAB_COLUMNS)


def _groups(items: list[Item], size: int) -> list[list[Item]]:
    return [items[start : start + size] for start in range(0, len(items), size)]


CROSS_TAB_ORDER = ["row_option", "column_option", "government_level_code", "sector_code"]  # as compute_estimates
