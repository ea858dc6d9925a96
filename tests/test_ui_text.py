import pytest

from ui.text import plain


@pytest.mark.parametrize(
    ("typed", "escaped"),
    [
        ("**bold**", r"\*\*bold\*\*"),
        # the word joiner after "://" keeps GFM from turning the address into a live link
        ("[link](https://x.example)", r"\[link\]\(https\://\u2060x\.example\)".replace(r"\u2060", "\u2060")),
        (":red[alarm] :material/home:", r"\:red\[alarm\] \:material/home\:"),
        ("Headache", "Headache"),
    ],
)
def test_markdown_in_user_text_is_escaped(typed, escaped):
    assert plain(typed) == escaped
