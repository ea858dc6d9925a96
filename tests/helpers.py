"""Constants the tests share (import them from here, never from conftest: conftest is pytest's)."""

from datetime import UTC, datetime
from pathlib import Path

from argon2 import PasswordHasher

APP = str(Path(__file__).resolve().parent.parent / "app.py")
APP_TIMEOUT = 60  # a first run loads the model and migrates the database
# Argon2id at its lowest cost in tests: a real hash, a thousandth of the work of a sign-up.
QUICK_HASHER = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
