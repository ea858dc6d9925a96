"""Database failures (down, read-only, full) as a plain message on the page, never the error page."""

import functools
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import ParamSpec, TypeVar

import streamlit as st

from tracker.errors import DatabaseError

P = ParamSpec("P")
R = TypeVar("R")


@contextmanager
def shown_plainly() -> Iterator[None]:
    """Run the page; a database failure stops it with its plain message instead of a traceback."""
    try:
        yield
    except DatabaseError as error:
        st.error(str(error), icon=":material/database:")
        st.stop()


def guarded(callback: Callable[P, R]) -> Callable[P, R | None]:
    """Wrap a widget callback: Streamlit runs callbacks before the page, outside `shown_plainly`."""

    @functools.wraps(callback)
    def run(*args: P.args, **kwargs: P.kwargs) -> R | None:
        try:
            return callback(*args, **kwargs)
        except DatabaseError as error:
            st.error(str(error), icon=":material/database:")  # drawn at the top of the run that follows
            return None

    return run
