"""One settings object, read from `DGINTAKE_*` environment variables and `.env`."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="DGINTAKE_", env_file=".env", extra="ignore")

    var_dir: Path = Field(Path("var"), description="Working folder for caches, models and the embedded store.")
    ocr_cache: bool = Field(True, description="Keep OCR results by page-image hash across runs.")
    ocr_threads: int = Field(2, description="onnxruntime intra-op threads for OCR.")
    det_max_side: int = Field(
        1600,
        description="Longest side (px) the text detector sees; recognition still reads full-resolution crops.",
    )
    render_dpi: int = Field(200, description="Resolution for rendering PDF pages without a text layer.")
    max_pdf_pages: int = Field(200, description="Pages read from one PDF; the rest become a finding.")
    max_file_bytes: int = Field(200 * 1024 * 1024, description="Largest single file read.")
    max_image_pixels: int = Field(80_000_000, description="Largest image (width × height) decoded.")
    max_zip_members: int = Field(2000, description="Most members read from one zip.")
    max_zip_total_bytes: int = Field(1024 * 1024 * 1024, description="Most bytes unpacked from one zip.")
    max_zip_ratio: float = Field(200.0, description="Largest compression ratio accepted for one zip member.")
    confidence_floor: float = Field(0.80, description="Key fields below this confidence raise OCR-LOW-CONFIDENCE.")
    si_max_age_days: int = Field(90, description="Social-insurance proof older than this (days) raises SI-STALE.")
    min_team_size: int = Field(1, description="Fewest team members a list must name.")


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
