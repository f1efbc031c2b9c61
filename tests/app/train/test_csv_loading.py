"""Tests for reading a big CSV file in a child process while the Train tab goes on drawing."""

from __future__ import annotations

import numpy as np
import pytest

from app.train.reader_process import IN_PROCESS_BYTES, CsvReadJob
from nncore import data as nndata

ROWS = 40_000  # ~3 MB with full-precision numbers: above IN_PROCESS_BYTES


def big_csv(path, rows=ROWS, bad_line=None):
    rng = np.random.default_rng(7)
    X = rng.uniform(-2, 2, (rows, 2))  # (rows, 2)
    z = np.sin(X[:, 0]) * X[:, 1]  # (rows,)
    lines = ["x,y,z"] + [
        f"{a!r},{b!r},{c!r}" for a, b, c in zip(X[:, 0].tolist(), X[:, 1].tolist(), z.tolist())
    ]
    if bad_line is not None:
        lines[bad_line - 1] = "1.5,abc,2"
    path.write_text("\n".join(lines) + "\n")
    assert path.stat().st_size >= IN_PROCESS_BYTES
    return path


def sorted_rows(X, y):
    both = np.hstack([X, y])  # (n, 3)
    return both[np.lexsort(both.T[::-1])]


def wait_for_job(job):
    while not job.done():
        job._reader.join(0.05)


# ---- the child process, without Qt --------------------------------------------------------
def test_a_csv_read_in_a_child_is_the_same_as_load_csv(tmp_path):
    path = big_csv(tmp_path / "big.csv")
    job = CsvReadJob(str(path))
    wait_for_job(job)
    got, expected = job.result(), nndata.load_csv(str(path))
    assert got.X.shape == (ROWS, 2) and got.y.shape == (ROWS, 1)
    assert np.array_equal(got.X, expected.X) and np.array_equal(got.y, expected.y)
    assert got.source == expected.source
    assert not job.alive()


def test_a_child_reports_a_bad_csv_with_load_csvs_one_line(tmp_path):
    path = big_csv(tmp_path / "bad.csv", bad_line=30_001)
    job = CsvReadJob(str(path))
    wait_for_job(job)
    with pytest.raises(nndata.DataError) as got:
        job.result()
    with pytest.raises(nndata.DataError) as expected:
        nndata.load_csv(str(path))
    assert str(got.value) == str(expected.value)
    assert "30001" in str(got.value).replace(",", "") and "\n" not in str(got.value)


# ---- the tab ---------------------------------------------------------------------------
def test_a_big_csv_loads_while_the_tab_waits_then_trains(tab, qtbot, tmp_path):
    path = big_csv(tmp_path / "big.csv")
    panel = tab.data_panel
    with qtbot.waitSignal(panel.csv_finished, timeout=60_000) as finished:
        assert not panel.load_csv(str(path))  # not yet: it is read in a child
        assert panel.reading and panel.csv_job is not None
        assert panel.message.text().startswith("Reading 'big.csv' (")
        assert not tab.start_button.isEnabled() and not tab.step_button.isEnabled()
        assert not panel.csv_button.isEnabled() and panel.csv_cancel.isVisibleTo(panel)
    assert finished.args == [True]
    assert not panel.reading and panel.csv_button.isEnabled()
    expected = nndata.load_csv(str(path))
    prepared = tab.prepared
    assert prepared.function is None and len(prepared.dataset) == ROWS
    assert len(prepared.train) + len(prepared.val) == ROWS
    both = nndata.Dataset(
        np.vstack([prepared.train.X, prepared.val.X]), np.vstack([prepared.train.y, prepared.val.y])
    )
    assert np.array_equal(sorted_rows(both.X, both.y), sorted_rows(expected.X, expected.y))
    assert tab.start_button.isEnabled()
    tab.run_synchronously(1)
    assert len(tab.history) == 1


def test_a_bad_big_csv_reports_its_one_line_error(tab, qtbot, tmp_path):
    path = big_csv(tmp_path / "bad.csv", bad_line=12_345)
    before = tab.prepared
    panel = tab.data_panel
    with qtbot.waitSignal(panel.csv_finished, timeout=60_000) as finished:
        panel.load_csv(str(path))
    assert finished.args == [False]
    with pytest.raises(nndata.DataError) as expected:
        nndata.load_csv(str(path))
    shown = panel._shown[0]
    assert shown.startswith("Could not use ") and shown.endswith(str(expected.value))
    assert "\n" not in shown
    assert tab.prepared is before and tab.start_button.isEnabled()


def test_cancel_keeps_the_previous_data_and_ends_the_child(tab, qtbot, tmp_path):
    small = tmp_path / "small.csv"
    small.write_text("x,y,z\n" + "".join(f"{k},{k % 7},{k * 0.5}\n" for k in range(50)))
    panel = tab.data_panel
    assert panel.load_csv(str(small))
    before = tab.prepared
    assert len(before.dataset) == 50
    with qtbot.waitSignal(panel.csv_finished, timeout=10_000) as finished:
        panel.load_csv(str(big_csv(tmp_path / "big.csv")))
        job = panel.csv_job
        panel.csv_cancel.click()
    assert finished.args == [False]
    assert not job.alive() and not panel.reading
    assert tab.prepared is before and panel.settings().csv_path == str(small)
    assert "cancelled" in panel.message.text() and tab.start_button.isEnabled()


def test_escape_cancels_a_read(tab, qtbot, tmp_path):
    tab.show()
    qtbot.waitExposed(tab)
    panel = tab.data_panel
    with qtbot.waitSignal(panel.csv_finished, timeout=10_000) as finished:
        panel.load_csv(str(big_csv(tmp_path / "big.csv")))
        job = panel.csv_job
        panel._escape.activated.emit()  # what Esc does; offscreen windows get no key focus
    assert finished.args == [False] and not job.alive()


def test_closing_the_tab_mid_read_leaves_no_child(tab, tmp_path):
    panel = tab.data_panel
    panel.load_csv(str(big_csv(tmp_path / "big.csv")))
    job = panel.csv_job
    assert job is not None and job.alive()
    tab.shutdown()
    assert not job.alive() and not panel.reading


def test_a_csv_with_a_label_column_is_a_classifiers_data_small_or_big(tab, qtbot, tmp_path):
    """Once refused in words, a label column now makes a classification (read here or in
    the child process); the task box follows the file."""
    small = tmp_path / "pets.csv"
    small.write_text(
        "x,y,label\n" + "".join(f"{i},{-i},{'cat' if i % 2 else 'dog'}\n" for i in range(12))
    )
    big = tmp_path / "pets-big.csv"
    rows = [f"{i % 97 / 10!r},{i % 89 / 10!r},{'cat' if i % 2 else 'dog'}" for i in range(200_000)]
    big.write_text("x,y,label\n" + "\n".join(rows) + "\n")
    assert big.stat().st_size >= IN_PROCESS_BYTES  # read by the child process
    panel = tab.data_panel
    assert panel.load_csv(str(small))
    qtbot.waitUntil(lambda: tab.prepared.n_classes == 2, timeout=10_000)
    assert tab.prepared.class_names == ("cat", "dog") and tab.run.network.is_classifier
    assert panel.task_combo.currentData() == "classification"
    with qtbot.waitSignal(panel.csv_finished, timeout=60_000) as finished:
        panel.load_csv(str(big))
    assert finished.args == [True]
    qtbot.waitUntil(lambda: len(tab.prepared.dataset) == 200_000, timeout=30_000)
    assert tab.prepared.n_classes == 2
