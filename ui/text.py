"""Show user text as typed: Streamlit renders Markdown (links, images, :icons:) in most elements."""

import re

# Every character Markdown, Streamlit's :colour[...] / :material/icon: syntax or LaTeX ($) may act on.
_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~:$=^])")


def plain(text: object) -> str:
    """Return `text` with Markdown escaped, so "**bold** [link](x)" reads exactly like that."""
    return _SPECIAL.sub(r"\\\1", str(text))
