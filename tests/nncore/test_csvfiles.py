"""Tests for nncore.csvfiles: reading training data and points to predict at from CSV."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nncore import csvfiles
from nncore.csvfiles import MIN_CSV_ROWS, load_csv, load_points_csv
from nncore.data import sample_uniform
from nncore.errors import DataError, SettingsError

# ---------------------------------------------------------------------------------------------
# Training data


def write(tmp_path, text, name="data.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def rows_text(n=12, sep=","):
    return "".join(f"{i}{sep}{-i / 2}{sep}{i * 1.5}\n" for i in range(n))


def test_csv_without_header(tmp_path):
    ds = load_csv(write(tmp_path, rows_text()))
    assert ds.X.shape == (12, 2) and ds.y.shape == (12, 1)
    assert ds.X[3].tolist() == [3.0, -1.5] and ds.y[3, 0] == 4.5
    assert "data.csv" in ds.source and "12 rows" in ds.source


def test_csv_with_header_in_any_order_and_extra_columns(tmp_path):
    text = "id,target,y,x\n" + "".join(f"{i},{i * 3},{i * 2},{i}\n" for i in range(10))
    ds = load_csv(write(tmp_path, text))
    assert ds.X[:, 0].tolist() == list(range(10)) and ds.X[:, 1].tolist() == [
        2 * i for i in range(10)
    ]
    assert ds.y[:, 0].tolist() == [3 * i for i in range(10)]


@pytest.mark.parametrize("header", ["x,y,z", "X, Y, Target", '"x","y","value"', "a,b,c", "x,y,w"])
def test_csv_header_names(tmp_path, header):
    ds = load_csv(write(tmp_path, header + "\n" + rows_text()))
    assert len(ds) == 12 and ds.y[2, 0] == 3.0 and ds.X[2].tolist() == [2.0, -1.0]


def test_csv_header_with_x_and_y_swapped_and_an_unnamed_target(tmp_path):
    ds = load_csv(write(tmp_path, "w,y,x\n" + rows_text()))
    assert ds.X[2].tolist() == [3.0, -1.0] and ds.y[2, 0] == 2.0


def test_csv_with_the_wrong_number_of_columns_everywhere_gets_one_message(tmp_path):
    text = "".join(f"{i},{i}\n" for i in range(30))
    with pytest.raises(
        DataError,
        match=r"every row has 2 values but 3 are expected \(x, y, "
        r"target\); check the separator .*line 1\)",
    ) as info:
        load_csv(write(tmp_path, text))
    assert info.value.lines == list(range(1, 31))


@pytest.mark.parametrize("sep", [";", "\t", " ", "   "])
def test_csv_other_separators(tmp_path, sep):
    ds = load_csv(write(tmp_path, f"x{sep}y{sep}target\n" + rows_text(sep=sep)))
    assert ds.X[5].tolist() == [5.0, -2.5] and ds.y[5, 0] == 7.5


def test_csv_semicolons_with_decimal_commas(tmp_path):
    text = "x;y;target\n" + "".join(f"{i},5;-{i};{i}e1\n" for i in range(10))
    ds = load_csv(write(tmp_path, text))
    assert ds.X[2].tolist() == [2.5, -2.0] and ds.y[2, 0] == 20.0


def test_csv_tolerates_comments_blank_lines_crlf_bom_quotes_and_trailing_separator(tmp_path):
    text = "\ufeff# measured on Tuesday\r\nx,y,target\r\n\r\n" + "".join(
        f'"{i}", {i},{i},\r\n' for i in range(10)
    )
    ds = load_csv(write(tmp_path, text))
    assert len(ds) == 10 and ds.y[9, 0] == 9.0


def test_csv_with_excels_separator_line(tmp_path):
    ds = load_csv(write(tmp_path, "sep=;\nx;y;target\n" + rows_text(sep=";")))
    assert len(ds) == 12 and ds.X[1].tolist() == [1.0, -0.5]


def test_csv_decimal_commas_with_comma_separator_get_a_hint(tmp_path):
    text = 'x,y,target\n"1,5",2,3\n' + rows_text()
    with pytest.raises(
        DataError,
        match=r"line 2: column 'x' holds '1,5', which is not a number; "
        r"for decimal commas separate the columns with ';'",
    ):
        load_csv(write(tmp_path, text))


def test_csv_in_utf16_is_read(tmp_path):
    path = tmp_path / "excel.csv"
    path.write_bytes(("x\ty\ttarget\n" + rows_text(sep="\t")).encode("utf-16"))
    assert len(load_csv(path)) == 12


@pytest.mark.parametrize(
    "lines, expected_line, expected",
    [
        # (file lines, the line blamed, what the message says)
        (
            ["x,y,target", "1,2,3", "1,2", "1,2,3"],
            3,
            "line 3: expected 3 values (x, y, target), found 2",
        ),
        (["1,2,3", "4,5,6,7"], 2, "line 2: expected 3 values (x, y, target), found 4"),
        (
            ["x,y,target", "1,2,3", "1,abc,3"],
            3,
            "line 3: column 'y' holds 'abc', which is not a number",
        ),
        (["1,2,3", "1,,3"], 2, "line 2: column 'y' holds nothing, which is not a number"),
        (
            ["x,y,target", "", "# note", "1,2,nan"],
            4,
            "line 4: column 'target' holds 'nan'; every value must be a finite",
        ),
        (["x,y,target", "inf,2,3"], 2, "line 2: column 'x' holds 'inf'"),
        (["a,b,c,d", "1,2,3,4", "1,2,3"], 1, "line 1: expected 3 values (x, y, target), found 4"),
        (["x,y,f", "1,2,3", "1_000,2,3"], 3, "line 3: column 'x' holds '1_000'"),
    ],
)
def test_csv_bad_lines_are_named(tmp_path, lines, expected_line, expected):
    body = lines + [f"{i},{i},{i}" for i in range(12)]
    with pytest.raises(DataError) as info:
        load_csv(write(tmp_path, "\n".join(body) + "\n"))
    assert expected in str(info.value)
    assert expected_line in info.value.lines
    assert "'data.csv' has" in str(info.value)


def test_csv_many_bad_lines_are_summarised_but_all_recorded(tmp_path):
    text = "x,y,target\n" + "".join("1,2,oops\n" for _ in range(20)) + rows_text()
    with pytest.raises(DataError) as info:
        load_csv(write(tmp_path, text))
    message = str(info.value)
    assert message.startswith("'data.csv' has 20 bad lines: line 2: column 'target' holds")
    assert "\n" not in message and len(message) <= 400  # one line, the first few listed
    listed = message.count("which is not a number")
    assert 2 <= listed < 20 and f"line {1 + listed}:" in message
    assert f"line {2 + listed}:" not in message
    assert message.endswith(f"; ... and {20 - listed} more lines")
    assert info.value.lines == list(range(2, 22))


def test_csv_with_too_few_rows(tmp_path):
    with pytest.raises(
        DataError,
        match=rf"has only 4 data rows \(lines 2–5\); at least "
        rf"{MIN_CSV_ROWS} are needed",
    ):
        load_csv(write(tmp_path, "x,y,target\n" + rows_text(4)))
    with pytest.raises(DataError, match=r"only 0 data rows \(only a header on line 2\)"):
        load_csv(write(tmp_path, "# header follows\nx,y,target\n"))
    with pytest.raises(DataError, match=r"only 1 data row \(line 1\)"):
        load_csv(write(tmp_path, "1,2,3\n"))


@pytest.mark.parametrize("text", ["", "\n\n  \n", "# only a comment\n"])
def test_empty_csv(tmp_path, text):
    with pytest.raises(DataError, match="'data.csv' is empty"):
        load_csv(write(tmp_path, text))


def test_missing_file_folder_and_bad_path(tmp_path):
    with pytest.raises(DataError, match="file not found: .*nope.csv"):
        load_csv(tmp_path / "nope.csv")
    with pytest.raises(DataError, match="is a folder"):
        load_csv(tmp_path)
    with pytest.raises(TypeError, match="expected a file path, not int"):
        load_csv(42)


def test_undecodable_and_binary_files(tmp_path):
    path = tmp_path / "latin.csv"
    path.write_bytes(b"x,y,target\n1,2,3\ncaf\xe9,2,3\n")
    with pytest.raises(DataError, match="undecodable bytes on line 3") as info:
        load_csv(path)
    assert info.value.lines == [3]
    path.write_bytes(b"x,y,target\n1,2,3\n\x00\x01\x02\n")
    with pytest.raises(DataError, match=r"binary file.*line 3"):
        load_csv(path)


def test_csv_round_trip_of_a_sampled_dataset(tmp_path):
    ds = sample_uniform("ripple", 50, seed=9, noise=0.01)
    lines = ["x,y,target"] + [
        f"{a!r},{b!r},{c!r}" for (a, b), c in zip(ds.X.tolist(), ds.y[:, 0].tolist())
    ]
    back = load_csv(write(tmp_path, "\n".join(lines)))
    assert np.array_equal(back.X, ds.X) and np.array_equal(back.y, ds.y)


@settings(max_examples=30, deadline=None)
@given(
    st.lists(
        st.tuples(*[st.floats(allow_nan=False, allow_infinity=False, width=64)] * 3),
        min_size=MIN_CSV_ROWS,
        max_size=40,
    ),
    st.sampled_from([",", ";", "\t", " "]),
    st.booleans(),
)
def test_csv_property_any_finite_table_reads_back_exactly(tmp_path_factory, rows, sep, header):
    lines = ([sep.join(["x", "y", "target"])] if header else []) + [
        sep.join(repr(v) for v in row) for row in rows
    ]
    path = tmp_path_factory.mktemp("csv") / "t.csv"
    path.write_text("\n".join(lines), encoding="utf-8")
    ds = load_csv(path)
    assert np.array_equal(np.hstack([ds.X, ds.y]), np.array(rows, dtype=np.float64).reshape(-1, 3))


def test_csv_larger_than_the_cap_is_refused_before_reading(tmp_path, monkeypatch):
    monkeypatch.setattr(csvfiles, "MAX_CSV_BYTES", 100)
    with pytest.raises(
        DataError, match=r"'.*data.csv' is 242 bytes, more than the 100 bytes a CSV file may have"
    ):
        load_csv(write(tmp_path, rows_text(20)))


# ---------------------------------------------------------------------------------------------
# Points to predict at (CSV with an optional target)


def test_points_csv_with_header_and_target_reads_the_named_columns(tmp_path):
    X, y = load_points_csv(write(tmp_path, "id;target;y;x\n7;3,5;-1;2\n8;0;4;1e2\n"))
    assert X.tolist() == [[2.0, -1.0], [100.0, 4.0]]
    assert y.shape == (2, 1) and y[:, 0].tolist() == [3.5, 0.0]


def test_points_csv_with_header_and_no_target(tmp_path):
    X, y = load_points_csv(write(tmp_path, "# to try\ny,x\n1,2\n3,4\n"))
    assert y is None and X.tolist() == [[2.0, 1.0], [4.0, 3.0]]
    # x and y named: another column that is no target name is ignored, not taken as one
    X, y = load_points_csv(write(tmp_path, "x,y,id\n1,2,a17\n"))
    assert y is None and X.tolist() == [[1.0, 2.0]]


def test_points_csv_header_without_input_names_takes_the_first_other_columns(tmp_path):
    X, y = load_points_csv(write(tmp_path, "value\ta\tb\tnote\n9\t1\t2\t5\n"))
    assert X.tolist() == [[1.0, 2.0]] and y.tolist() == [[9.0]]


def test_points_csv_without_header_first_row_decides_on_a_target(tmp_path):
    X, y = load_points_csv(write(tmp_path, "1 2\n3 4\n"))
    assert y is None and X.tolist() == [[1.0, 2.0], [3.0, 4.0]]
    X, y = load_points_csv(write(tmp_path, "1\t2\t1.5\n3\t4\t3.5\n"))
    assert X.tolist() == [[1.0, 2.0], [3.0, 4.0]] and y[:, 0].tolist() == [1.5, 3.5]


def test_points_csv_single_row_is_enough(tmp_path):
    # MIN_CSV_ROWS is for training; one point is a whole prediction request
    X, y = load_points_csv(write(tmp_path, "0.25,-8\n"))
    assert X.shape == (1, 2) and X.tolist() == [[0.25, -8.0]] and y is None
    with pytest.raises(DataError, match=r"only 1 data row"):
        load_csv(write(tmp_path, "0.25,-8,1\n"))


def test_points_csv_other_input_counts_use_numbered_names(tmp_path):
    X, y = load_points_csv(write(tmp_path, "x3,x1,x2\n3,1,2\n"), n_inputs=3)
    assert X.tolist() == [[1.0, 2.0, 3.0]] and y is None
    X, y = load_points_csv(write(tmp_path, "5,6\n"), n_inputs=1)
    assert X.tolist() == [[5.0]] and y.tolist() == [[6.0]]


def test_points_csv_reads_what_load_csv_reads_the_same_way(tmp_path):
    path = write(tmp_path, "sep=;\nw;y;x\n" + "".join(f"{i},5;{-i};{i * 3}\n" for i in range(12)))
    ds = load_csv(path)  # x, y named: the column left (w) is load_csv's target
    X, y = load_points_csv(path)  # optional target: only by name, so none here
    assert np.array_equal(X, ds.X) and y is None


@pytest.mark.parametrize(
    "text, line, expected",
    [
        ("x,y\n1,2\n3,oops\n", 3, "line 3: column 'y' holds 'oops', which is not a number"),
        ("x,y,target\n1,2,3\n1,2\n", 3, "line 3: expected 3 values (x, y, target), found 2"),
        ("1,2\n\n# c\n1,2,3\n", 4, "line 4: expected 2 values (x, y), found 3"),
        (
            "1 2 3\n4 inf 6\n",
            2,
            "line 2: column 'y' holds 'inf'; every value must be a finite number",
        ),
        ("y,x,z\n1,2,nan\n", 2, "line 2: column 'z' holds 'nan'"),
    ],
)
def test_points_csv_bad_lines_are_named(tmp_path, text, line, expected):
    with pytest.raises(DataError) as info:
        load_points_csv(write(tmp_path, text))
    assert expected in str(info.value) and str(info.value).startswith("'data.csv' has 1 bad line:")
    assert info.value.lines == [line]
    ((problem_line, what),) = info.value.problems  # the same fault, for callers to format
    assert problem_line == line and expected.split(": ", 1)[1] in what


@pytest.mark.parametrize(
    "text, match",
    [
        (
            "",
            "'data.csv' is empty: it holds no rows of numbers \\(expected columns x, y and maybe a "
            "target\\)",
        ),
        (
            "x,y\n",
            r"only 0 data rows \(only a header on line 1\); at least 1 is needed to make a "
            r"prediction",
        ),
        (
            "1,2,3,4\n5,6,7,8\n",
            r"every row has 4 values but 2 or 3 are expected \(x, y and maybe a "
            r"target\); .*line 1\)",
        ),
    ],
)
def test_points_csv_whole_file_problems(tmp_path, text, match):
    with pytest.raises(DataError, match=match):
        load_points_csv(write(tmp_path, text))


def test_points_csv_file_problems_and_bad_arguments(tmp_path):
    with pytest.raises(DataError, match="file not found: .*nope.csv"):
        load_points_csv(tmp_path / "nope.csv")
    path = tmp_path / "latin.csv"
    path.write_bytes(b"x,y\n1,2\ncaf\xe9,2\n")
    with pytest.raises(DataError, match="undecodable bytes on line 3"):
        load_points_csv(path)
    for bad in (0, 2.5):
        with pytest.raises(SettingsError, match="n_inputs must be a whole number"):
            load_points_csv(write(tmp_path, "1,2\n"), n_inputs=bad)
    with pytest.raises(TypeError, match="n_inputs must be a whole number"):
        load_points_csv(write(tmp_path, "1,2\n"), n_inputs=True)
    X, _ = load_points_csv(write(tmp_path, "1,2\n"), n_inputs=2.0)  # 2.0 is the whole number 2
    assert X.tolist() == [[1.0, 2.0]]


# ---------------------------------------------------------------------------------------------
# Bounded, streaming reading (issue 8)


def test_rows_beyond_the_limit_are_refused_as_soon_as_the_limit_is_passed(tmp_path, monkeypatch):
    monkeypatch.setattr(csvfiles, "MAX_CSV_ROWS", 20)
    path = write(tmp_path, "x,y,target\n" + rows_text(20))
    assert len(load_csv(path)) == 20  # exactly the limit is fine
    seen = []
    real_lines = csvfiles._content_lines

    def counted(*args):
        for item in real_lines(*args):
            seen.append(item)
            yield item

    monkeypatch.setattr(csvfiles, "_content_lines", counted)
    path = write(tmp_path, "x,y,target\n" + rows_text(500))
    with pytest.raises(
        DataError,
        match=r"^'data.csv' has more than 20 rows of data \(line 22 is one too many\); "
        r"use a sample of at most 20 rows$",
    ):
        load_csv(path)
    assert len(seen) == 1 + 21  # the header, the rows allowed and the one too many: no more


def test_too_many_lines_are_refused_before_any_is_parsed(tmp_path, monkeypatch):
    monkeypatch.setattr(csvfiles, "MAX_CSV_ROWS", 20)
    monkeypatch.setattr(csvfiles, "_EXTRA_LINES", 5)
    monkeypatch.setattr(csvfiles, "_content_lines", lambda *a: pytest.fail("a line was read"))
    for ending in ("\n", "\r\n", "\r"):
        path = write(tmp_path, "".join(f"{i},{i},{i}{ending}" for i in range(26)))
        with pytest.raises(DataError, match=r"has more than 25 lines; at most 20 rows of data"):
            load_csv(path)


def test_a_line_longer_than_the_limit_is_refused_by_number(tmp_path, monkeypatch):
    monkeypatch.setattr(csvfiles, "MAX_CSV_LINE_CHARS", 50)
    text = rows_text(3) + ",".join(["1"] * 40) + "\n" + rows_text(10)
    with pytest.raises(DataError, match=r"^'data.csv', line 4: longer than 50 characters") as info:
        load_csv(write(tmp_path, text))
    assert info.value.lines == [4]


def test_old_mac_line_endings_are_read(tmp_path):
    path = tmp_path / "mac.csv"
    path.write_bytes(rows_text(12).replace("\n", "\r").encode("ascii"))
    ds = load_csv(path)
    assert len(ds) == 12 and ds.y[3, 0] == 4.5


def test_reading_stops_after_the_recorded_problems(tmp_path, monkeypatch):
    monkeypatch.setattr(csvfiles, "MAX_RECORDED_PROBLEMS", 5)
    text = "x,y,target\n" + "".join(f"1,2,bad{i}\n" for i in range(40))
    with pytest.raises(DataError) as info:
        load_csv(write(tmp_path, text))
    assert str(info.value).startswith("'data.csv' has at least 5 bad lines: line 2:")
    assert info.value.lines == [2, 3, 4, 5, 6] and len(info.value.problems) == 5


def test_a_wrong_separator_everywhere_is_one_message_even_when_capped(tmp_path, monkeypatch):
    monkeypatch.setattr(csvfiles, "MAX_RECORDED_PROBLEMS", 5)
    with pytest.raises(
        DataError, match=r"^'data.csv': the first 5 rows each have 4 values but 3 are expected"
    ) as info:
        load_csv(write(tmp_path, "".join(f"{i},{i},{i},{i}\n" for i in range(30))))
    assert info.value.lines == [1, 2, 3, 4, 5]


def test_text_from_the_file_is_quoted_escaped_and_bounded(tmp_path):
    text = "x,y,target\n" + "1,2,\x1b[31m" + "9" * 500 + "x\n" + rows_text()
    with pytest.raises(DataError) as info:
        load_csv(write(tmp_path, text, name="da\x07ta.csv"))
    message = str(info.value)
    assert "\x1b" not in message and "\x07" not in message and "\n" not in message
    assert message.startswith("'da\\x07ta.csv' has 1 bad line: line 2: column 'target' holds")
    assert "'\\x1b[31m999" in message and "(506 characters)" in message and len(message) < 300


def test_an_undecodable_byte_is_found_on_its_line_deep_in_the_file(tmp_path):
    path = tmp_path / "latin.csv"
    path.write_bytes(rows_text(5000).encode() + b"caf\xe9,1,2\n" + rows_text(3).encode())
    with pytest.raises(DataError, match=r"undecodable bytes on line 5001") as info:
        load_csv(path)
    assert info.value.lines == [5001]


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.text(
            alphabet=st.sampled_from(list('0123456789.,;\t -+eEnaif#"x\r\n\x00\x1b\u2028')),
            max_size=12,
        ),
        max_size=25,
    )
)
def test_property_every_csv_message_is_one_bounded_line(tmp_path_factory, lines):
    path = tmp_path_factory.mktemp("csv") / "t.csv"
    path.write_text("\n".join(lines), encoding="utf-8", newline="")
    for reader in (load_csv, load_points_csv):
        try:
            reader(path)
        except DataError as exc:
            message = str(exc)
            assert "\n" not in message and "\r" not in message and "\x1b" not in message
            assert len(message) <= 400
            assert all(line >= 1 for line in exc.lines)
