"""The names of the runs kept on the loss curve, and the book that keeps them (no Qt)."""

from __future__ import annotations

import numpy as np
import pytest

from app.train.run_names import MAX_RUNS, KeptRun, RunBook, kept_from_history, run_names
from app.train.session import DataSettings, HistoryArrays
from nncore import training
from nncore.config import recipe


def test_runs_that_differ_only_in_learning_rate_are_named_by_it():
    configs = [recipe("article", lr=lr) for lr in (0.01, 0.03, 0.1)]
    assert run_names(configs) == ["lr 0.01", "lr 0.03", "lr 0.1"]


def test_a_recipe_alone_tells_an_article_run_from_a_modern_one():
    assert run_names([recipe("article"), recipe("modern")]) == ["article", "modern"]


def test_a_setting_is_named_only_where_it_tells_more_runs_apart():
    names = run_names([recipe("article"), recipe("modern"), recipe("modern", batch_size=32)])
    assert names == ["article, full batch", "modern, batch 128", "modern, batch 32"]


def test_seeds_and_data_settings_name_runs_too():
    assert run_names([recipe("article", seed=7), recipe("article")]) == ["seed 7", "seed 99"]
    same = recipe("modern")
    names = run_names([same, same], [DataSettings(noise=0.0), DataSettings(noise=0.1)])
    assert names == ["noise 0", "noise 0.1"]


def test_runs_alike_in_everything_are_numbered():
    assert run_names([recipe("article")] * 3) == ["run 1", "run 2", "run 3"]
    configs = [recipe("article"), recipe("article"), recipe("article", lr=0.1)]
    assert run_names(configs) == ["lr 0.001 (1)", "lr 0.001 (2)", "lr 0.1"]


def test_configs_and_data_settings_must_pair_up():
    with pytest.raises(ValueError):
        run_names([recipe("article")], [DataSettings(), DataSettings()])


def _run(lr: float, loss: str = "mse") -> KeptRun:
    cfg = recipe("classify" if loss == "cross_entropy" else "article", lr=lr)
    empty = np.arange(3.0)
    return KeptRun(cfg, DataSettings(), empty, empty, empty, empty, empty)


def test_the_book_keeps_the_last_runs_with_their_colours_and_says_what_it_dropped():
    book = RunBook()
    for k in range(MAX_RUNS + 2):
        book.keep(_run(0.001 * (k + 1)), current=(recipe("article", lr=1.0), DataSettings()))
    assert len(book) == MAX_RUNS
    assert book.dropped == 2 and "2 older runs dropped" in book.dropped_note()
    assert [r.name for r in book.runs][:2] == ["lr 0.003", "lr 0.004"]
    slots = [r.slot for r in book.runs]
    assert slots[:6] == [2, 3, 4, 5, 6, 7]  # a run keeps its look when older ones go
    assert not book.toggle(0) and not book.runs[0].visible
    assert book.toggle(0)
    book.clear()
    assert len(book) == 0 and book.dropped_note() == ""


def test_the_book_names_runs_against_the_current_one_and_does_not_mix_losses():
    book = RunBook()
    book.keep(_run(0.01), current=(recipe("article", lr=0.01, seed=3), DataSettings()))
    assert book.runs[0].name == "seed 99"
    assert book.rename((recipe("article", lr=0.1), DataSettings())) == "lr 0.1"
    # a classifier's cross-entropy beside a regression's MSE compares nothing
    assert book.keep(_run(0.1), current=(recipe("classify"), DataSettings())) is None
    assert len(book) == 0
    book.keep(_run(0.1, "cross_entropy"), current=(recipe("classify"), DataSettings()))
    assert len(book) == 1


def test_a_kept_run_copies_its_history_columns():
    rng = np.random.default_rng(0)
    data = training.Dataset(rng.uniform(-1, 1, (40, 2)), rng.uniform(-1, 1, (40, 1)))
    cfg = training.recipe("article", sizes=(2, 4, 1), epochs=3)
    run = training.TrainingRun(cfg, data, None)
    run.run()
    history = HistoryArrays()
    history.extend(run.history)
    kept = kept_from_history(history, cfg, DataSettings(), note=" (lr changed mid-run)")
    assert np.array_equal(kept.epochs, [1, 2, 3]) and np.all(np.isnan(kept.val))
    history.column("train")[:] = 0.0  # later changes to the history do not reach it
    assert np.all(kept.train > 0)
    book = RunBook()
    book.keep(kept)
    assert book.runs[0].name.endswith("(lr changed mid-run)")
