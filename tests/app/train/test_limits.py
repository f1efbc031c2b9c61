"""The Train tab's limits and the checks of a weight file against them (no Qt needed)."""

from __future__ import annotations

import json

import numpy as np
import pytest

from app.train import limits
from app.train.reader_process import ReadJob, pack, read_here, unpack_history
from app.train.session import DataSettings, drawn_rows, parse_architecture, prepare_data
from app.train.weight_files import UnusableWeights, export_meta, read_weight_file
from nncore import training, weightfile
from nncore.errors import SettingsError, WeightFileError
from nncore.network import Network


def reports(n: int, n_layers: int = 2) -> list[training.EpochReport]:
    return [
        training.EpochReport(
            epoch=k,
            train_mse=1.0 / k,
            val_mse=None,
            train_r2=0.5,
            val_r2=None,
            lr=0.01,
            elapsed=0.001 * k,
            weight_norms=[1.0] * n_layers,
            grad_norms=[0.1] * n_layers,
            dead_fraction=[0.0] * n_layers,
        )
        for k in range(1, n + 1)
    ]


def planted_file(tmp_path, name="planted.json", config=None, data=None, history=0):
    """A Train-tab weight file (.json) whose settings are then edited by hand."""
    path = tmp_path / name
    cfg = training.recipe("modern", sizes=(2, 4, 1), epochs=50)
    meta = export_meta(prepare_data(DataSettings(samples=100)))
    weightfile.save(
        str(path), Network([2, 4, 1], seed=1), config=cfg, history=reports(history), meta=meta
    )
    doc = json.loads(path.read_text())
    doc["config"].update(config or {})
    doc["meta"]["data"].update(data or {})
    path.write_text(json.dumps(doc))
    return path


# ---- the Layers field -------------------------------------------------------------------
@pytest.mark.parametrize(
    "text, words",
    [
        ("2--1", "size is missing"),
        ("2-64--1", "size is missing"),
        ("", "whole numbers"),
        ("2-100000-1", "between 1 and 512"),
        ("2-" + "9" * 5000 + "-1", "characters long"),
        ("-".join(["2"] + ["4"] * 9 + ["1"]), "at most 8 hidden layers"),
        ("2-٣-1", "whole numbers"),  # an Arabic-Indic digit is not a size
    ],
)
def test_the_layers_field_refuses_what_the_tab_cannot_build(text, words):
    with pytest.raises(SettingsError, match=words):
        parse_architecture(text)


def test_the_layers_field_still_reads_the_usual_spellings():
    assert parse_architecture(" 2, 8 ,1") == (2, 8, 1)
    assert parse_architecture("2 × 16 × 1") == (2, 16, 1)
    assert parse_architecture("2 64 1") == (2, 64, 1)


# ---- settings a file brings ------------------------------------------------------------
@pytest.mark.parametrize(
    "key, value",
    [
        ("epochs", 10**12),
        ("epochs", 1e12),
        ("seed", 2**40),
        ("lr", 1e300),
        ("batch_size", 10**15),
        ("warmup", -3),
        ("optimizer", "sgd-with-rockets"),
    ],
)
def test_a_setting_the_tab_cannot_show_is_replaced_by_the_recipes_default(tmp_path, key, value):
    opened = read_weight_file(str(planted_file(tmp_path, config={key: value})))
    modern = training.recipe("modern")
    assert getattr(opened.config, key) == getattr(modern, key)
    assert "replaced by defaults" in opened.note and f"training setting {key}" in opened.note
    assert limits.config_problems(opened.config.to_dict()) == []
    # settings that were right are kept
    assert opened.config.recipe == "modern" and opened.config.epochs in (50, modern.epochs)


def test_a_negative_learning_rate_is_replaced_and_nan_never_reaches_a_widget(tmp_path):
    opened = read_weight_file(str(planted_file(tmp_path, config={"lr": -1.0})))
    assert opened.config.lr == training.recipe("modern").lr and "lr -1.0" in opened.note
    path = planted_file(tmp_path, "nan.json")
    path.write_text(path.read_text().replace('"lr": 0.016', '"lr": NaN'))
    try:
        opened = read_weight_file(str(path))
    except WeightFileError:
        return  # nncore refuses NaN in a file: fine too
    assert np.isfinite(opened.config.lr) and limits.config_problems(opened.config.to_dict()) == []


@pytest.mark.parametrize(
    "key, value",
    [("seed", 2**40), ("samples", 5_000_000), ("noise", 1e300), ("val_share", 0.99)],
)
def test_data_settings_the_panel_cannot_show_are_replaced_too(tmp_path, key, value):
    opened = read_weight_file(str(planted_file(tmp_path, data={key: value})))
    assert getattr(opened.data, key) == getattr(DataSettings(), key)
    assert f"data setting {key}" in opened.note


def test_a_megabyte_long_formula_in_a_file_is_not_echoed(tmp_path):
    opened = read_weight_file(str(planted_file(tmp_path, data={"function": "x" * 1_000_000})))
    assert opened.data.function == DataSettings().function
    assert len(opened.note) <= 400 and "1,000,000 characters" in opened.note


def test_networks_the_tab_cannot_show_are_refused(tmp_path):
    deep = tmp_path / "deep.npz"
    weightfile.save(str(deep), Network([2] + [2] * 998 + [1]))  # 999 weight layers
    with pytest.raises(UnusableWeights, match="at most 8 hidden layers") as err:
        read_weight_file(str(deep))
    assert "\n" not in str(err.value) and len(str(err.value)) <= 400
    wide = tmp_path / "wide.npz"
    weightfile.save(str(wide), Network([2, 600, 1]))
    with pytest.raises(UnusableWeights, match="between 1 and 512"):
        read_weight_file(str(wide))
    mixed = tmp_path / "mixed.npz"
    weightfile.save(str(mixed), Network([2, 3, 3, 1], activations=["relu", "tanh", "linear"]))
    with pytest.raises(UnusableWeights, match="one of relu"):
        read_weight_file(str(mixed))


def test_a_history_longer_than_the_limit_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(limits, "MAX_HISTORY", 40)
    with pytest.raises(UnusableWeights, match="45 epochs; the Train tab opens at most 40"):
        read_weight_file(str(planted_file(tmp_path, history=45)))
    assert len(read_weight_file(str(planted_file(tmp_path, history=40))).history) == 40


def test_require_showable_names_every_setting_a_widget_cannot_hold():
    cfg = training.recipe("article", epochs=10**7, seed=2**33, sizes=(2, 1000, 1))
    with pytest.raises(SettingsError) as err:
        limits.require_showable(cfg.to_dict())
    text = str(err.value)
    assert "epochs" in text and "seed" in text and "512" in text and "\n" not in text
    limits.require_showable(training.recipe("modern").to_dict())  # the recipes fit


# ---- reading in a child process -------------------------------------------------------
def test_a_file_read_in_a_child_process_is_the_same_as_read_here(tmp_path):
    path = planted_file(tmp_path, history=4500, config={"epochs": 10**12})
    job = ReadJob(str(path))
    while not job.done():
        job._reader.join(0.05)
    packed = job.result()
    here = read_here(str(path))
    assert packed.history_length == here.history_length == 4500
    assert len(packed.history_chunks) == 3  # 2,000 epochs a chunk
    got = [r for chunk in unpack_history(packed) for r in chunk]
    assert got == read_weight_file(str(path)).history
    assert packed.opened.note == here.opened.note and "epochs" in packed.opened.note
    assert np.array_equal(packed.opened.network.weights[0], here.opened.network.weights[0])


def test_a_child_process_reports_a_bad_file_in_one_line(tmp_path):
    junk = tmp_path / "junk.npz"
    junk.write_bytes(b"PK\x03\x04 not really a zip")
    job = ReadJob(str(junk))
    while not job.done():
        job._reader.join(0.05)
    with pytest.raises(WeightFileError) as err:
        job.result()
    assert "\n" not in str(err.value)
    deep = tmp_path / "deep.json"
    weightfile.save(str(deep), Network([2] + [3] * 12 + [1]))
    job = ReadJob(str(deep))
    while not job.done():
        job._reader.join(0.05)
    with pytest.raises(UnusableWeights, match="hidden layers"):
        job.result()


def test_pack_keeps_the_history_in_order():
    opened_history = reports(4321)
    from app.train.weight_files import OpenedWeights

    packed = pack(
        OpenedWeights(
            Network([2, 2, 1]), training.recipe("article"), None, list(opened_history), None, ""
        )
    )
    assert [r for chunk in unpack_history(packed) for r in chunk] == opened_history


# ---- drawing a long history ---------------------------------------------------------
def test_drawn_rows_keep_every_bucket_extreme_and_both_ends():
    rng = np.random.default_rng(5)
    values = rng.random(100_003)
    values[77_777] = 1e9  # a spike
    values[12_345] = np.nan
    rows = drawn_rows(values, limit=1000)
    assert rows[0] == 0 and rows[-1] == len(values) - 1 and 77_777 in rows
    assert len(rows) <= 1002 and np.all(np.diff(rows) > 0)
    # independently: each of the 500 equal runs contributes its lowest and highest value
    edges = np.linspace(0, len(values), 501).astype(int)
    for a, b in zip(edges[:-1], edges[1:]):
        part = values[a:b]
        assert a + np.nanargmin(part) in rows and a + np.nanargmax(part) in rows
    assert np.array_equal(drawn_rows(values[:50], limit=1000), np.arange(50))


def test_drawn_points_keep_small_data_whole_and_sample_big_data_evenly():
    from app.train.session import MAX_DRAWN_POINTS, drawn_points

    assert range(500)[drawn_points(500)] == range(500)
    picked = range(1_000_000)[drawn_points(1_000_000)]
    assert len(picked) <= MAX_DRAWN_POINTS and picked[0] == 0
    assert picked[-1] >= 1_000_000 - picked.step  # the spread reaches the end of the data
    assert len(range(MAX_DRAWN_POINTS + 1)[drawn_points(MAX_DRAWN_POINTS + 1)]) <= MAX_DRAWN_POINTS
