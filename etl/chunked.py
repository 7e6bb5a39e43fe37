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

import numpy as np
import pandas as pd

from etl.aggregate import ESTIMATE_COLUMNS, compute_estimates
from etl.catalogue import Catalogue
from etl.codebook import Codebook
from etl.cross_tab import CROSS_TAB_COLUMNS, cross_tab_cells
from etl.harmonise import ANSWER_COLUMNS, Harmonised, HarmonisedWave, harmonise_rows
from etl.readers import read_source_chunks


def harmonise_file(path: Path, codebook: Codebook, catalogue: Catalogue, chunk_rows: int | None) -> HarmonisedWave:
    """Read and harmonise ``path`` chunk by chunk; errors name the row in the file, whichever chunk it is in."""
    seen_ids: dict[str, int] = {}
    parts = [harmonise_rows(table, codebook, catalogue, seen_ids)
             for table in read_source_chunks(path, codebook.source, chunk_rows, codebook)]
    return HarmonisedWave.combine(codebook, parts)


BATCH_ROWS = 200_000  # long answer rows aggregated at a time: a small wave in one go, a large one in parts


def _batches(items: list, rows: Callable[[object], int], budget: int) -> Iterator[list]:
    """Consecutive groups of ``items`` of at most ``budget`` rows together (at least one item each)."""
    batch: list = []
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
    """The cells of every cross-tab the catalogue declares (as compute_cross_tabs), a few option pairs at a time.

    A cell pairs one row option with one column option; its answer rows (cross_tab_answers: the units of the
    base that chose the row option and answered the column option) are taken straight from the matrix.
    """
    values = dict(zip(wave.answers.items, wave.answers.values, strict=True))
    ids = wave.respondents["national_id"].to_numpy()
    tables = []
    for code, tab in catalogue.cross_tabs.items():
        base = catalogue.bases[tab.base]
        in_base = (np.ones(len(ids), dtype=bool) if base.indicator is None
                   else values.get((base.indicator, base.option), np.zeros(len(ids), dtype=np.int8)) == 1)
        pairs = {(row, column): (values[row] == 1) & in_base & (values[column] >= 0)
                 for row in values if row[0] == tab.rows for column in values if column[0] == tab.columns}
        counts = {pair: int(np.count_nonzero(mask)) for pair, mask in pairs.items() if mask.any()}
        cells = []
        for batch in _batches(list(counts), counts.__getitem__, BATCH_ROWS):
            answers = pd.concat([pd.DataFrame({"national_id": ids[pairs[pair]], "indicator_code": pair[0][1],
                                               "option_code": pair[1][1],
                                               "selected": values[pair[1]][pairs[pair]] == 1})
                                 for pair in batch], ignore_index=True)[ANSWER_COLUMNS]
            pairs_data = Harmonised(wave.respondents, answers, 0, wave.design)
            cells.append(cross_tab_cells(pairs_data, code, tab, min_n=min_n, z=z))
        if cells:
            tables.append(pd.concat(cells, ignore_index=True).sort_values(CROSS_TAB_ORDER, ignore_index=True))
    return pd.concat(tables, ignore_index=True) if tables else pd.DataFrame(columns=CROSS_TAB_COLUMNS)


CROSS_TAB_ORDER = ["row_option", "column_option", "government_level_code", "sector_code"]  # as compute_estimates
