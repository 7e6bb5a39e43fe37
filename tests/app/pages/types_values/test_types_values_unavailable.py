"""Types x values for a wave that did not ask both questions: the page says so instead of drawing a grid."""

from __future__ import annotations

import shutil
from pathlib import Path

import yaml

from app.factory import create_app
from app.i18n import t
from core.config import Settings, get_settings
from etl.pipeline import run_etl
from tests.app.conftest import app_settings
from tests.app.drawing import by_id, draw

WAVE_CODEBOOK = Path("codebooks") / "se" / "2018.yaml"


def data_without_the_value_question(target: Path) -> Path:
    """The bundled data folder with Sweden 2018 alone, its values-achieved question set aside (ignored)."""
    shutil.copytree(get_settings().data_dir, target)
    for codebook in (target / "codebooks").rglob("*.yaml"):
        if codebook != target / WAVE_CODEBOOK:
            codebook.unlink()
    book = yaml.safe_load((target / WAVE_CODEBOOK).read_text(encoding="utf-8"))
    value = book["questions"].pop("value")
    book["ignore"] = [*book.get("ignore", []), *(item["variable"] for item in value["items"].values())]
    (target / WAVE_CODEBOOK).write_text(yaml.safe_dump(book, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return target


def test_a_wave_without_the_values_question_says_there_is_no_cross_tab(empty_db: str, tmp_path: Path) -> None:
    data_dir = data_without_the_value_question(tmp_path / "data")
    run_etl(empty_db, settings=Settings(data_dir=data_dir, cache_dir=tmp_path / "etl-cache"))
    app = create_app(empty_db, settings=app_settings(tmp_path, data_dir=data_dir))
    try:
        for lang in ("en", "sv"):
            page = draw(app, f"/{lang}/types-values", "?wave=SE-2018")
            assert by_id(page, "tv-not-available").children == t(lang, "tv_not_available")
    finally:
        app.server.extensions["barometer_db"].close()
