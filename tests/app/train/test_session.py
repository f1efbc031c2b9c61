"""Tests for the Train tab's Qt-free session logic: data, layer sizes, history and texts."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from app.train.session import (
    GRID_SIZE,
    TRY_MODERN_ACTION,
    DataSettings,
    HistoryArrays,
    advice_after,
    continuation_config,
    duration_text,
    parse_architecture,
    prepare_data,
    progress_text,
    readout_text,
)
from nncore import data as nndata
from nncore import training


def test_prepared_data_follows_the_settings():
    p = prepare_data(DataSettings(function="article", samples=500, seed=4, val_share=0.2))
    assert len(p.dataset) == 500 and len(p.train) == 400 and len(p.val) == 100
    assert p.grid_X.shape == (GRID_SIZE**2, 2) and p.truth.shape == (GRID_SIZE, GRID_SIZE)
    # the truth is the function itself on the grid, row = y and column = x
    fn = nndata.FUNCTIONS["article"]
    i, j = 37, 81
    assert p.truth[i, j] == pytest.approx(float(fn(np.array([p.xs[j]]), np.array([p.ys[i]]))[0]))
    assert np.allclose(p.grid_X[i * GRID_SIZE + j], [p.xs[j], p.ys[i]])
    assert p.value_range() == (float(p.truth.min()), float(p.truth.max()))
    assert p.title == fn.label


def test_the_grid_setting_trains_on_the_grid_and_no_share_means_no_validation():
    p = prepare_data(DataSettings(samples=0, val_share=0.0))
    assert len(p.train) == GRID_SIZE**2 and p.val is None
    assert np.allclose(np.sort(p.train.X[:, 0]), np.sort(p.grid_X[:, 0]))


def test_csv_data_has_no_truth_and_a_grid_over_its_points(tmp_path):
    path = tmp_path / "points.csv"
    corners = "0,1,5\n2,-1,5\n1,3,5\n"
    inside = "".join(f"{0.5 + 0.1 * k},{k * 0.2},5\n" for k in range(9))
    path.write_text("x,y,z\n" + corners + inside)
    p = prepare_data(DataSettings(csv_path=str(path), val_share=0.0))
    assert p.function is None and p.truth is None and len(p.train) == 12
    assert p.xs[0] == 0.0 and p.xs[-1] == 2.0 and p.ys[0] == -1.0 and p.ys[-1] == 3.0
    assert p.value_range() == (4.0, 6.0)  # a constant target: ±1 around it
    assert p.title == p.dataset.source


def test_bad_data_settings_raise():
    with pytest.raises(ValueError):
        prepare_data(DataSettings(function="sin(x) + (y"))


def test_architecture_text_is_checked():
    assert parse_architecture("2-64-64-64-1") == (2, 64, 64, 64, 1)
    assert parse_architecture(" 2, 8 ,1") == (2, 8, 1)
    for bad, words in (
        ("2-x-1", "whole numbers"),
        ("3-8-1", "first size"),
        ("2-1", "hidden"),
        ("2-0-1", "between 1 and 512"),
    ):
        with pytest.raises(ValueError, match=words):
            parse_architecture(bad)


def test_history_columns_match_the_reports():
    reports = [
        training.EpochReport(
            epoch=k,
            train_mse=1.0 / k,
            val_mse=None if k % 2 else 2.0 / k,
            train_r2=0.5,
            val_r2=None,
            lr=0.1 * k,
            elapsed=0.0,
            weight_norms=[k, 2 * k],
            grad_norms=[3 * k, 4 * k],
            dead_fraction=[0.25, 0.0],
        )
        for k in range(1, 301)
    ]
    history = HistoryArrays()
    history.extend(reports[:7])
    history.extend(reports[7:])  # grows past its first capacity
    assert len(history) == 300
    assert np.array_equal(history.column("epoch"), np.arange(1, 301))
    assert np.allclose(history.column("train"), [1.0 / k for k in range(1, 301)])
    val = history.column("val")
    assert np.isnan(val[0]) and val[1] == pytest.approx(1.0)
    assert history.column("weights").shape == (300, 2)
    assert np.array_equal(history.column("grads")[:, 1], 4.0 * np.arange(1, 301))
    assert np.array_equal(history.column("dead"), np.full((300, 1), 0.25))


def test_the_last_r2_prefers_validation():
    history = HistoryArrays()
    assert history.last_r2() is None
    report = dict(epoch=1, train_mse=1.0, val_mse=2.0, lr=0.1, elapsed=0.0)
    layers = dict(weight_norms=[1.0, 1.0], grad_norms=[1.0, 1.0], dead_fraction=[0.0, 0.0])
    history.extend([training.EpochReport(train_r2=0.5, val_r2=0.25, **report, **layers)])
    assert history.last_r2() == 0.25
    history.extend([training.EpochReport(train_r2=0.5, val_r2=None, **report, **layers)])
    assert history.last_r2() == 0.5


def test_a_run_continues_to_its_plan_or_for_as_many_epochs_again():
    cfg = training.recipe("article")  # 2,000 epochs
    assert continuation_config(cfg, 300).epochs == 2000
    assert continuation_config(cfg, 2000).epochs == 4000
    assert continuation_config(cfg, 2500).epochs == 4500
    # everything else stays as it was
    assert dataclasses.replace(continuation_config(cfg, 300), epochs=cfg.epochs) == cfg


def test_the_texts_about_a_run():
    assert readout_text(None).startswith("No epochs yet")
    report = training.EpochReport(
        epoch=7,
        train_mse=0.5,
        val_mse=None,
        train_r2=0.75,
        val_r2=None,
        lr=0.1,
        elapsed=0.0,
        weight_norms=[1.0],
        grad_norms=[1.0],
        dead_fraction=[0.0],
    )
    assert readout_text(report) == "<b>epoch 7</b> · MSE 0.5 · <b>R² 0.75</b>"
    assert duration_text(42.4) == "42 s" and duration_text(187) == "3 min 07 s"
    assert progress_text(1500, 2000) == "epoch 1,500 / 2,000"
    assert progress_text(1500, 2000, 250.0, 2.0) == "epoch 1,500 / 2,000 · 250/s · 2 s left"


def test_the_advice_after_a_run():
    article, modern = training.recipe("article"), training.recipe("modern")
    diverged = training.StopReason("diverged", "The loss diverged.", "It grew huge.")
    kind, title, detail, action = advice_after(diverged, article, None)
    assert kind == "warning" and title == "The loss diverged." and action == ""
    assert detail.startswith("It grew huge.") and "Lower the learning rate" in detail
    done = training.StopReason("epochs", "Finished the planned 2,000 epochs.")
    kind, title, _detail, action = advice_after(done, article, 0.8123)
    assert kind == "info" and title.startswith("R² = 0.812:") and action == TRY_MODERN_ACTION
    assert advice_after(done, modern, 0.99) is None
    assert advice_after(training.StopReason("stopped", "Stopped."), article, 0.5) is None
