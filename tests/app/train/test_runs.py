"""Every run of the session on the Train tab's loss curve: named, toggled, cleared."""

from __future__ import annotations

from app.train.session import DataSettings
from nncore import training

SMALL_DATA = DataSettings(function="article", samples=200, seed=3, val_share=0.2)


def small_config(**overrides):
    settings = {"sizes": (2, 16, 16, 1), "batch_size": 32, "epochs": 5, **overrides}
    return training.recipe("modern", **settings)


def run_to_end(tab, qtbot):
    with qtbot.waitSignal(tab.run_finished, timeout=30_000):
        tab.start_button.click()
    qtbot.waitUntil(lambda: tab.state == "finished")


def test_three_runs_stay_on_the_curve_named_by_what_differs_and_toggle(tab, qtbot):
    for lr in (0.001, 0.003, 0.01):
        tab.configure(SMALL_DATA, small_config(lr=lr))  # puts the last run aside
        run_to_end(tab, qtbot)
    tab.configure(config=small_config(lr=0.01, batch_size=64))
    assert tab.views.run_list.names() == [
        "lr 0.001, batch 32",
        "lr 0.003, batch 32",
        "lr 0.01, batch 32",
    ]
    assert tab.loss_plot.run_curve_count() == 6  # training and validation of each
    assert tab.loss_plot.key_text().startswith("this run (lr 0.01, batch 64): ")
    tab.views.run_list.boxes[1].click()  # hide the second
    assert tab.loss_plot.run_curve_count() == 4
    assert not tab.views.runs.runs[1].visible
    tab.views.run_list.boxes[1].click()
    assert tab.loss_plot.run_curve_count() == 6
    tab.views.run_list.clear_button.click()
    assert tab.loss_plot.run_curve_count() == 0 and tab.views.run_list.names() == []
    assert tab.views.run_list.isHidden()


def test_a_reset_run_beside_its_twin_is_numbered_and_the_oldest_go_beyond_the_limit(tab, qtbot):
    tab.views.runs.limit = 2
    tab.configure(SMALL_DATA, small_config(epochs=4))
    for _ in range(4):
        run_to_end(tab, qtbot)  # Start again puts the finished run aside: 3 kept, 2 shown
    assert tab.views.run_list.names() == ["run 1", "run 2"]
    assert "1 older run dropped" in tab.views.run_list.note.text()


def test_clearing_the_plots_earlier_runs_clears_the_list_too(tab, qtbot):
    tab.configure(SMALL_DATA, small_config(epochs=4))
    run_to_end(tab, qtbot)
    tab.reset()
    assert tab.views.run_list.names() == ["run 1"]
    tab.loss_plot.clear_previous()  # as the screenshot mode does
    assert tab.views.run_list.names() == [] and len(tab.views.runs) == 0
