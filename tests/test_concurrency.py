from datetime import UTC, datetime, timedelta

import pytest

from benchmarks.load import hammer


@pytest.mark.slow  # several processes, each loading the model
@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_several_processes_logging_at_once_lose_nothing(backend, tmp_path, request):
    if backend == "sqlite":
        url = f"sqlite:///{tmp_path / 'busy.sqlite3'}"
    else:
        engine = request.getfixturevalue("postgres_engine")
        url = engine.url.render_as_string(hide_password=False)
    report = hammer(url, processes=4, count=25, moment=datetime.now(UTC) - timedelta(minutes=1))
    assert report.errors == 0
    assert report.stored == report.expected == 100
