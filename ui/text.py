"""Show user text as typed: Streamlit renders Markdown (links, images, :icons:) in most elements."""

import re

# Every character Markdown, Streamlit's :colour[...] / :material/icon: syntax or LaTeX ($) may act on.
_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~:$=^])")
# GitHub-flavoured Markdown also turns bare "https://…", "www.…" and "name@host.tld" into links, and it
# does so on the text *after* escapes are resolved, so a backslash cannot stop it. A word joiner
# (U+2060, invisible, zero width) inside each trigger breaks the pattern and leaves the text as read.
WORD_JOINER = "\u2060"
_AUTOLINK_TRIGGERS = re.compile(r"(?i)(?<=://)|(?<=www)(?=\.)|(?<=@)|(?<=mailto:)|(?<=xmpp:)")


def plain(text: object) -> str:
    """Return `text` with Markdown escaped and automatic links broken: it reads exactly as typed.

    "**bold** [link](x)" stays those characters, and "https://x.org" or "ada@x.org" is never a link.
    """
    unlinked = _AUTOLINK_TRIGGERS.sub(WORD_JOINER, str(text))
    return _SPECIAL.sub(r"\\\1", unlinked)
