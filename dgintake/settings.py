"""One settings object, read from `DGINTAKE_*` environment variables and `.env`."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from platformdirs import user_data_path
from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


def default_var_dir() -> Path:
    # The user's data directory, so running a command in any folder never litters it.
    return user_data_path("dgintake", appauthor=False)


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="DGINTAKE_", env_file=".env", extra="ignore")

    var_dir: Path = Field(
        default_factory=default_var_dir,
        description="Working folder: OCR models and cache, the embedded object store and database.",
    )
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

    # -- the service (SERVICE.md) ------------------------------------------------------
    database_url: str | None = Field(None, description="SQLAlchemy URL; default sqlite:///<var>/dgintake.db.")
    store: str = Field("local", description="Object store: `local` (a folder under the var dir) or `s3`.")
    s3_endpoint: str | None = Field(None, description="S3 endpoint as host:port.")
    s3_access_key: str | None = None
    s3_secret_key: str | None = None
    s3_secure: bool = False
    s3_region: str = "us-east-1"
    bucket: str = Field("dgintake", description="The bucket holding incoming/, packets/ and rejected/.")
    lease_seconds: int = Field(600, description="A claimed packet without a heartbeat this long may be reclaimed.")
    folder_quiet_seconds: int = Field(60, description="A folder without _READY is ready after this long unchanged.")
    max_attempts: int = Field(3, description="Processing attempts before a packet ends `failed`.")
    secret_key: SecretStr | None = Field(None, description="Signs console sessions and CSRF tokens.")
    dispatch: str = Field(
        "local", description="`local`: the intake run processes packets itself; `deployment`: Prefect workers do."
    )
    deployment: str = Field("process-packet/dgintake", description="The deployment packets are dispatched to.")
    worker_id: str | None = Field(None, description="Name of this worker in leases and attempts (default host:pid).")

    @property
    def db_url(self) -> str:
        return self.database_url or f"sqlite:///{Path(self.var_dir).resolve() / 'dgintake.db'}"


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
