"""The method texts every outlet states (Data & methods page, the API's ``method``, downloads, the data
package), generated from what the code does (the one confidence level and z of ``core.config``) and from the
sampling design each loaded wave's codebook declares (``survey_wave.design``), never written twice by hand.
"""

from __future__ import annotations

from typing import Any

from app.data.queries import Wave
from app.i18n import fmt_number, t
from core.config import get_settings

KISH = "kish"
DESIGN = "design"


def method_values(lang: str) -> dict[str, str]:
    """The numbers the method texts quote, as the page's language writes them: the confidence level and z."""
    settings = get_settings()
    return {"level": fmt_number(100 * settings.confidence_level, lang), "z": fmt_number(settings.confidence_z, lang, 2)}


def method_text(lang: str, key: str, **values: object) -> str:
    """A method text of the i18n catalogue with the confidence level and z filled in."""
    return t(lang, key, **method_values(lang), **values)


def effective_n_kind(wave: Wave) -> str:
    """'design' when the wave's codebook declares a sampling design (Taylor, Korn-Graubard), else 'kish'."""
    return DESIGN if wave.design is not None else KISH


def wave_design(wave: Wave) -> dict[str, Any]:
    """One wave's effective-n method as the API states it: its kind and what its codebook declares."""
    design = wave.design or {}
    return {"wave_key": wave.key, "effective_n": effective_n_kind(wave), "strata": design.get("strata") or [],
            "cluster": design.get("cluster"), "sampling_fraction": design.get("sampling_fraction"),
            "may_exceed_n": bool(design.get("sampling_fraction"))}


def statistics_statement(waves: list[Wave] | tuple[Wave, ...]) -> str:
    """The statistics of every estimate, in English, naming which loaded waves use which effective n."""
    settings = get_settings()
    designed = [w.name for w in waves if effective_n_kind(w) == DESIGN]
    kish = [w.name for w in waves if effective_n_kind(w) == KISH]
    fpc = [w.name for w in waves if wave_design(w)["may_exceed_n"]]
    parts = [
        "Weighted share p = Σ w·y / Σ w over the units in the base that answered the item.",
        "Effective sample size n_eff: " + "; ".join(filter(None, [
            (f"design-based for {', '.join(designed)} (p(1 − p) / Var(p), Taylor linearisation over the declared "
             "strata and clusters, Korn-Graubard; at most the cell's n unless a sampling fraction (sample drawn / "
             "population, with its source) is declared"
             + (f", as for {', '.join(fpc)}" if fpc else "")
             + "; then times Korn and Graubard's degrees-of-freedom factor (t_{n−1} / t_df)², df = PSUs − strata)")
            if designed else "",
            f"Kish's (Σ w)² / Σ w² for {', '.join(kish)} (unequal weights only)" if kish else "",
        ])) + ".",
        f"{fmt_number(100 * settings.confidence_level, 'en')}% confidence interval: Wilson score interval at n_eff "
        f"with z = {settings.confidence_z:.6f}; it stays inside 0–100%, so no bound is clipped.",
    ]
    return " ".join(parts)


def method_record(waves: list[Wave] | tuple[Wave, ...]) -> dict[str, Any]:
    """The API's and the downloads' ``method``: statements generated from the code and the loaded codebooks."""
    settings = get_settings()
    return {
        "statistics": statistics_statement(waves),
        "confidence_level": settings.confidence_level,
        "z": settings.confidence_z,
        "designs": [wave_design(w) for w in waves],
        "nordic_average": method_text("en", "nordic_method"),
        "differences": method_text("en", "method_differences"),
    }
