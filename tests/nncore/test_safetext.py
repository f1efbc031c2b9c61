"""nncore.safetext: outside text shown without control characters and within bounds."""

from nncore.safetext import one_line, printable_part, shown


def test_control_characters_are_escaped():
    assert shown("a\x1b[31mb\x07\r") == "'a\\x1b[31mb\\x07\\r'"
    assert "\x1b" not in shown("\x1b" * 10)


def test_long_text_is_cut_and_its_length_named():
    text = shown("x" * 1_000_000)
    assert len(text) < 100
    assert "1,000,000 characters" in text


def test_non_strings_are_shown_by_repr():
    assert shown(None) == "None"
    assert shown(3.5) == "3.5"
    assert len(shown(list(range(10_000)))) < 100


def test_one_line_joins_lines_and_bounds_length():
    assert one_line("first\nsecond\r\nthird") == "first second third"
    assert len(one_line("y" * 10_000, limit=50)) == 50
    assert printable_part("é×−") == "é×−"  # printable Unicode stays as it is
