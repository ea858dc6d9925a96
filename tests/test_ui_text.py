import pytest

from ui.text import plain


@pytest.mark.parametrize(
    ("typed", "escaped"),
    [
        ("**bold**", r"\*\*bold\*\*"),
        ("[link](https://x.example)", r"\[link\]\(https\:\/\/x\.example\)".replace(r"\/", "/")),
        (":red[alarm] :material/home:", r"\:red\[alarm\] \:material/home\:"),
        ("Headache", "Headache"),
    ],
)
def test_markdown_in_user_text_is_escaped(typed, escaped):
    assert plain(typed) == escaped
