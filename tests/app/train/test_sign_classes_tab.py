"""Classes typed as a formula in the Train tab: Task ▸ Classification, Data set ▸ sign."""

from __future__ import annotations

import numpy as np
import pytest

from app.train.session import DataSettings
from nncore import training, weightfile

pytestmark = pytest.mark.filterwarnings("error")

DISC = DataSettings(
    task="classification", dataset="sign", function="x^2 + y^2 - 25", samples=300, seed=1
)


def test_the_formulas_sign_makes_the_classes_the_run_learns(tab):
    assert tab.configure(DISC, training.recipe("classify", sizes=(2, 16, 16, 2), epochs=40))
    train = tab.prepared.train
    x, y = train.X[:, 0], train.X[:, 1]
    np.testing.assert_array_equal(train.y[:, 0], (x**2 + y**2 - 25 > 0).astype(float))
    assert tab.prepared.dataset.classes == ("f ≤ 0", "f > 0")
    tab.run_synchronously(40)
    assert tab.history.column("train_acc")[-1] > 90


def test_the_panel_shows_the_formula_row_for_sign_classes_only(tab):
    panel = tab.data_panel
    form = panel._form
    tab.configure(DISC)
    assert form.isRowVisible(panel.formula_edit) and form.isRowVisible(panel.function_combo)
    assert not panel.classes_spin.isEnabled()  # two classes: the sign's
    assert panel.settings().function == "x^2 + y^2 - 25"
    panel.dataset_combo.setCurrentIndex(panel.dataset_combo.findData("spiral"))
    assert not form.isRowVisible(panel.formula_edit)


def test_a_formula_of_one_sign_is_refused_in_the_panel(tab, qtbot):
    tab.configure(DataSettings(task="classification", dataset="sign", function="x^2 + 1"))
    panel = tab.data_panel
    assert panel.prepare() is None
    assert "every point is one class" in panel.message.text()


def test_a_cli_file_of_sign_classes_opens_on_its_formula(tab, tmp_path):
    from nncore.cli import main

    path = tmp_path / "disc.npz"
    argv = ["train", "--formula", "x^2 + y^2 - 25", "--recipe", "classify", "--samples", "200"]
    assert main([*argv, "--epochs", "5", "-o", str(path)]) == 0
    assert tab.open_weights(str(path))
    settings = tab.data_panel.settings()
    assert (settings.task, settings.dataset, settings.function) == (
        "classification",
        "sign",
        "x^2 + y^2 - 25",
    )
    assert weightfile.load(path).classes == tab.prepared.dataset.classes
