"""Files the command line writes: one rule for all of them.

The folder must already exist (a typo in a path should not scatter new folders around), and an existing
file is replaced only when asked (`--force`). The new file is written beside the target and renamed into
place, so a failure never leaves a half-written file behind.
"""

import os
import tempfile
from collections.abc import Callable
from pathlib import Path

from tracker.errors import TrackerError


class OutputPathError(TrackerError):
    """A file cannot be written where asked: missing folder, existing file, or no permission."""


def output_error(path: Path, force: bool = False) -> str | None:
    """Return why `path` cannot be written as a new file (None when it can)."""
    path = Path(path)
    folder = path.parent
    if path.is_dir():
        return f"{path} is a folder; give a file name inside it, e.g. {path / 'export.csv'}."
    if not folder.is_dir():
        return f"The folder {folder} does not exist. Create it first, or choose another place."
    if path.exists() and not force:
        return f"{path} already exists. Choose a new name, or add --force to replace it."
    return None


def check_output(path: Path, force: bool = False) -> Path:
    """Return `path` if a file may be written there. Raises OutputPathError saying why not."""
    if message := output_error(path, force):
        raise OutputPathError(message)
    return Path(path)


def write_output(path: Path, write: Callable[[Path], object], force: bool = False) -> Path:
    """Check `path`, let `write` fill a temporary file beside it, then rename it into place.

    Raises OutputPathError for a path the rule refuses or a folder we may not write to.
    """
    path = check_output(path, force)
    try:
        handle, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    except OSError as error:
        raise OutputPathError(f"Cannot write in {path.parent}: {error.strerror or error}.") from error
    os.close(handle)
    temporary = Path(name)
    try:
        write(temporary)
        os.replace(temporary, path)
    except OSError as error:
        raise OutputPathError(f"Cannot write {path}: {error.strerror or error}.") from error
    finally:
        temporary.unlink(missing_ok=True)
    return path


def write_bytes(path: Path, data: bytes, force: bool = False) -> Path:
    """Write `data` to `path` by the rule above and return it. Raises OutputPathError."""
    return write_output(path, lambda temporary: temporary.write_bytes(data), force)
