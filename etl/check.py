"""`codebook check`: what in a national file its codebook does not map yet, then the ETL's own validation.

The check writes nothing, but refuses exactly what `etl run` refuses, with the same message: once every
variable and label is mapped, the file goes through the same harmonisation (weights, ids, labels, types).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from etl.catalogue import Catalogue
from etl.codebook import Codebook
from etl.diagnose import Resemblance, resembling
from etl.harmonise import harmonise, normalise_cell
from etl.readers import read_source


@dataclass
class CheckReport:
    path: Path
    unmapped_variables: list[str] = field(default_factory=list)
    missing_variables: list[str] = field(default_factory=list)
    unmapped_labels: dict[str, list[str]] = field(default_factory=dict)
    resembles: Resemblance | None = None  # another wave's codebook whose columns the file has

    @property
    def ok(self) -> bool:
        return not (self.unmapped_variables or self.missing_variables or self.unmapped_labels)

    def render(self) -> str:
        lines = [f"{self.path}:"]
        if self.resembles is not None:
            lines.append(f"  {self.resembles.describe()}: is this that wave's file?")
        if self.ok:
            lines.append("  every variable and label is mapped")
        if self.missing_variables:
            lines.append("  variables named in the codebook but absent from the file:")
            lines += [f"    - {v}" for v in self.missing_variables]
        if self.unmapped_variables:
            lines.append("  variables in the file that the codebook neither maps nor ignores:")
            lines += [f"    - {v}" for v in self.unmapped_variables]
        for variable, labels in self.unmapped_labels.items():
            lines.append(f"  labels of {variable!r} with no mapping:")
            lines += [f"    - {label!r}" for label in labels]
        return "\n".join(lines)


def _label_maps(codebook: Codebook) -> dict[str, set[str]]:
    """Every labelled variable and the labels the codebook knows for it."""
    known: dict[str, set[str]] = {}
    resp = codebook.respondent
    for dim in (resp.government_level, resp.sector, resp.size_band):
        if dim is not None:
            known[dim.variable] = set(dim.labels)
    yes_no = set(codebook.answer_labels.selected + codebook.answer_labels.not_selected
                 + codebook.answer_labels.missing)
    for question in codebook.questions.values():
        if question.items is not None:
            for item in question.items.values():
                known[item.variable] = yes_no
        else:
            known[question.variable] = set(question.labels or {}) | set(question.missing)
    return known


def check_codebook(codebook: Codebook, path: Path, catalogue: Catalogue) -> CheckReport:
    """Compare the file's columns and labels with the codebook, collecting every gap (not just the first).

    Without gaps, validate the file as the ETL does; its EtlError is raised as the ETL raises it."""
    table = read_source(path, codebook.source, codebook)
    report = CheckReport(path)
    columns = list(table.frame.columns)
    named = codebook.variables()
    report.missing_variables = [v for v in named if v not in columns and v not in codebook.ignore]
    report.unmapped_variables = [c for c in columns if c not in named]
    if codebook.source.identity_variable in report.missing_variables:
        report.resembles = resembling(columns, codebook)
    for variable, labels in _label_maps(codebook).items():
        if variable not in columns:
            continue
        seen = {normalise_cell(v) for v in table.frame[variable].tolist()} - {None}
        unknown = sorted(seen - labels)
        if unknown:
            report.unmapped_labels[variable] = unknown
    if report.ok:
        harmonise(table, codebook, catalogue)  # raises the ETL's EtlError for anything else it would refuse
    return report
