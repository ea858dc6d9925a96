"""Constants the tests share (import them from here, never from conftest: conftest is pytest's)."""

from datetime import UTC, datetime
from pathlib import Path

APP = str(Path(__file__).resolve().parent.parent / "app.py")
APP_TIMEOUT = 60  # a first run loads the model and migrates the database
NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
