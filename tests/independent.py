"""An independent recomputation of the estimates straight from a national file, and of the differences.

Reads the raw file with pandas/pyreadstat (not with the ETL's readers), applies the codebook's label
mappings read as plain YAML, and computes weighted shares with numpy; confidence intervals come from
statsmodels. Tests compare this with what the ETL stored.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import yaml
from scipy.optimize import brentq
from scipy.stats import t as student_t
from statsmodels.stats.proportion import confint_proportions_2indep, proportion_confint

Z_ALPHA = 0.05


def read_codebook(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def read_catalogue(data_dir: Path) -> dict:
    return yaml.safe_load((data_dir / "catalogue" / "indicators.yaml").read_text(encoding="utf-8"))["indicators"]


def read_raw(codebook: dict, data_dir: Path) -> pd.DataFrame:
    source = codebook["source"]
    path = data_dir / source["file"]
    if source["format"] == "sav":
        import pyreadstat

        frame, _ = pyreadstat.read_sav(str(path), apply_value_formats=True)
        return frame
    if source["format"] == "xlsx":
        return pd.read_excel(path, sheet_name=source.get("sheet") or 0)
    return pd.read_csv(path, sep=source.get("delimiter", ";"), encoding=source.get("encoding", "utf-8"),
                       decimal=source.get("decimal", "."), dtype={codebook["respondent"]["weight"]: float})


def _text(series: pd.Series) -> pd.Series:
    def one(value: object) -> object:
        if pd.isna(value):
            return None
        if isinstance(value, float) and value.is_integer():
            return str(int(value))
        return str(value).strip()

    return series.map(one)


def unit_frame(codebook: dict, data_dir: Path) -> tuple[pd.DataFrame, dict[str, pd.Series]]:
    """Units with level, sector, weight, stratum, psu; and per 'indicator.option' a 1/0/NaN answer series."""
    raw = read_raw(codebook, data_dir)
    resp = codebook["respondent"]
    units = pd.DataFrame({"weight": raw[resp["weight"]].astype(float)})
    design = codebook.get("design") or {}
    units["psu"] = _text(raw[design["cluster"]]) if design.get("cluster") else _text(raw[resp["id"]])
    if "government_level" in resp:
        units["level"] = _text(raw[resp["government_level"]["variable"]]).map(resp["government_level"]["labels"])
    else:
        units["level"] = resp["fixed_government_level"]
    if "sector" in resp:
        units["sector"] = _text(raw[resp["sector"]["variable"]]).map(resp["sector"]["labels"])
    else:
        units["sector"] = None

    short = {"government_level": "level", "sector": "sector"}
    strata = design.get("strata") or []
    units["stratum"] = units[[short[d] for d in strata]].astype(str).agg("/".join, axis=1) if strata else "all"

    labels = codebook["answer_labels"]
    yes, no = set(labels["selected"]), set(labels["not_selected"])
    answers: dict[str, pd.Series] = {}
    for code, question in codebook["questions"].items():
        if "items" in question:
            for option, item in question["items"].items():
                text = _text(raw[item["variable"]])
                answers[f"{code}.{option}"] = text.map(lambda t: 1.0 if t in yes else 0.0 if t in no else np.nan)
        else:
            chosen = _text(raw[question["variable"]]).map(question["labels"])
            options = sorted(set(question["labels"].values()))
            for option in options:
                answers[f"{code}.{option}"] = chosen.map(lambda c, o=option: np.nan if pd.isna(c) else float(c == o))

    types = pd.DataFrame({k: v for k, v in answers.items() if k.startswith("innovation_type.")})
    innovative = np.where((types == 1).any(axis=1), 1.0, np.where((types == 0).all(axis=1), 0.0, np.nan))
    answers["innovative.yes"] = pd.Series(innovative, index=raw.index)
    answers["innovative.no"] = 1.0 - answers["innovative.yes"]
    evaluation = [answers[k] for k in ("evaluation.internal", "evaluation.external") if k in answers]
    if evaluation:
        answered = answers[next(k for k in answers if k.startswith("evaluation."))].notna()
        evaluated = (sum(e.fillna(0) for e in evaluation) > 0).astype(float).where(answered)
        answers["evaluated.yes"], answers["evaluated.no"] = evaluated, 1.0 - evaluated
    return units, answers


def add_derived_options(answers: dict[str, pd.Series], catalogue: dict) -> None:
    """'Any of' options (e.g. any partner outside the workplace), from the catalogue's rules."""
    for code, indicator in catalogue.items():
        for option, spec in indicator["options"].items():
            members = [answers[f"{code}.{m}"] for m in spec.get("derived_any_of", []) if f"{code}.{m}" in answers]
            if not members:
                continue
            stacked = pd.concat(members, axis=1)
            any_yes = (stacked == 1).any(axis=1)
            all_no = (stacked == 0).all(axis=1)
            answers[f"{code}.{option}"] = pd.Series(np.where(any_yes, 1.0, np.where(all_no, 0.0, np.nan)),
                                                    index=stacked.index)


def sampling_fraction(design: dict, stratum: str) -> float:
    """drawn / population as the codebook declares it (one number, or per stratum); 0 when none is declared."""
    declared = design.get("sampling_fraction")
    if not declared:
        return 0.0
    drawn, population = declared["drawn"], declared["population"]
    return drawn[stratum] / population[stratum] if isinstance(drawn, dict) else drawn / population


def design_variance(units: pd.DataFrame, domain: pd.Series, y: pd.Series, design: dict) -> float:
    """Linearised variance of a domain's weighted share, by the textbook formula with explicit PSU totals.

    Scores z_i = w_i (y_i - p) / sum(w) in the domain, 0 outside; per stratum h with n_h sampled PSUs
    (of the whole sample) and the declared sampling fraction f_h (sample drawn / population, 0 without one):
    (1 - f_h) n_h/(n_h - 1) sum_c (t_hc - mean t_h)^2, a stratum with one PSU adding t^2.
    """
    w = units["weight"].where(domain, 0.0)
    y = y.astype(float)
    share = float((w * y.fillna(0)).sum() / w.sum())
    score = (w * (y.fillna(0) - share) / w.sum()).where(domain, 0.0)
    total = 0.0
    for stratum, members in units.groupby("stratum"):
        totals = score[members.index].groupby(members["psu"]).sum().to_numpy()
        n_h = len(totals)
        fpc = 1.0 - sampling_fraction(design, stratum)
        if n_h == 1:
            total += fpc * totals[0] ** 2
        else:
            total += fpc * n_h / (n_h - 1) * float(np.sum((totals - totals.mean()) ** 2))
    return total


Design = tuple[pd.DataFrame, pd.Series, dict]  # all units (weight, stratum, psu), the item's values, the design


def korn_graubard_df_factor(n: int, units: pd.DataFrame) -> float:
    """(t_{n-1} / t_df)^2 at 95%, df = PSUs - strata of the whole sample, at most 1 (scipy's t quantiles)."""
    df = units.groupby("stratum")["psu"].nunique().sum() - units["stratum"].nunique()
    return min(1.0, (student_t.ppf(1 - Z_ALPHA / 2, max(n - 1, 1)) / student_t.ppf(1 - Z_ALPHA / 2, df)) ** 2)


def _cells(item: str, option: str, frame: pd.DataFrame, design: Design | None) -> list[tuple]:
    """(item, option, level, sector, n, effective n, share, CI) of every cut of ``frame`` (columns weight, y).

    The effective n is Kish's, or with a declared ``design`` p(1-p) / design variance (Korn-Graubard), at most
    n unless the design declares a sampling fraction, times Korn and Graubard's degrees-of-freedom factor."""
    cuts = [("all", "all", frame)]
    cuts += [(lv, "all", g) for lv, g in frame.groupby("level")]
    cuts += [("all", sc, g) for sc, g in frame.groupby("sector")]
    cuts += [(lv, sc, g) for (lv, sc), g in frame.groupby(["level", "sector"])]
    rows = []
    for level, sector, group in cuts:
        if group.empty:
            continue
        w = group["weight"].to_numpy()
        share = float(np.sum(w * group["y"].to_numpy()) / np.sum(w))
        n_eff = float(np.sum(w) ** 2 / np.sum(w**2))
        if design is not None:
            units, values, declared = design
            domain = pd.Series(units.index.isin(group.index), index=units.index)
            variance = design_variance(units, domain, values, declared)
            if variance > 0 and 0 < share < 1:
                n_eff = share * (1 - share) / variance
            if not declared.get("sampling_fraction"):
                n_eff = min(n_eff, len(group))
            n_eff *= korn_graubard_df_factor(len(group), units)
        low, high = proportion_confint(share * n_eff, n_eff, alpha=Z_ALPHA, method="wilson")
        rows.append((item, option, level, sector, len(group), n_eff, share, float(low), float(high)))
    return rows


def _design(codebook: dict, units: pd.DataFrame, values: pd.Series) -> Design | None:
    if "design" not in codebook:
        return None
    return units, values, codebook["design"]


CELL_COLUMNS = ["n_unweighted", "n_effective", "share", "ci_low", "ci_high"]


def independent_estimates(codebook_path: Path, data_dir: Path) -> pd.DataFrame:
    """Share, n, Kish n and Wilson CI per (indicator, option, level, sector) cell, computed independently."""
    codebook = read_codebook(codebook_path)
    catalogue = read_catalogue(data_dir)
    units, answers = unit_frame(codebook, data_dir)
    add_derived_options(answers, catalogue)
    innovative = answers["innovative.yes"] == 1
    rows = []
    for key, values in answers.items():
        indicator, option = key.split(".", 1)
        in_base = values.notna()
        if catalogue[indicator]["base"] == "innovative_units":
            in_base &= innovative
        rows += _cells(indicator, option, units[in_base].assign(y=values[in_base]), _design(codebook, units, values))
    return pd.DataFrame(rows, columns=["indicator_code", "option_code", "government_level_code", "sector_code",
                                       *CELL_COLUMNS])


def independent_cross_tab(codebook_path: Path, data_dir: Path, rows: str, columns: str) -> pd.DataFrame:
    """Cells (row option, column option, level, sector) of a cross-tab over the innovative units: among the
    innovative units that chose the row option and answered the column item, the share that chose it."""
    codebook = read_codebook(codebook_path)
    units, answers = unit_frame(codebook, data_dir)
    add_derived_options(answers, read_catalogue(data_dir))
    innovative = answers["innovative.yes"] == 1
    cells = []
    for row_key in (k for k in answers if k.startswith(f"{rows}.")):
        chose_row = (answers[row_key] == 1) & innovative
        for column_key in (k for k in answers if k.startswith(f"{columns}.")):
            in_cell = chose_row & answers[column_key].notna()
            frame = units[in_cell].assign(y=answers[column_key][in_cell])
            cells += _cells(row_key.split(".", 1)[1], column_key.split(".", 1)[1], frame,
                            _design(codebook, units, answers[column_key]))
    return pd.DataFrame(cells, columns=["row_option", "column_option", "government_level_code", "sector_code",
                                        *CELL_COLUMNS])


# ---- differences between two bars, as one of a family of m comparisons (Bonferroni) -----------------------


def newcombe(p1: float, n1: float, p2: float, n2: float, alpha: float) -> tuple[float, float]:
    """statsmodels' Newcombe hybrid score interval for p1 - p2 on effective counts, at level 1 - alpha."""
    low, high = confint_proportions_2indep(p1 * n1, n1, p2 * n2, n2, method="newcomb", compare="diff", alpha=alpha)
    return float(low), float(high)


def dual_p_value(p1: float, n1: float, p2: float, n2: float) -> float:
    """The level at which statsmodels' Newcombe interval just touches 0 (scipy's brentq on log alpha)."""
    if p1 == p2:
        return 1.0

    def gap(log_alpha: float) -> float:
        low, high = newcombe(p1, n1, p2, n2, float(np.exp(log_alpha)))
        return low if p1 > p2 else -high  # > 0 while the interval excludes 0

    floor = np.log(1e-300)
    if gap(floor) > 0:
        return 0.0
    return float(np.exp(brentq(gap, floor, np.log(1 - 1e-12), xtol=1e-14, rtol=1e-14)))


def family_pair(p1: float, n1: float, p2: float, n2: float, family_size: int, alpha: float = Z_ALPHA) -> dict:
    """One pair of a family: Bonferroni-simultaneous interval (alpha / m), dual and adjusted p, verdict."""
    low, high = newcombe(p1, n1, p2, n2, alpha / family_size)
    p = dual_p_value(p1, n1, p2, n2)
    return {"difference": p1 - p2, "ci_low": low, "ci_high": high, "p_value": p,
            "p_adjusted": min(1.0, family_size * p), "differs": bool(low > 0 or high < 0)}
