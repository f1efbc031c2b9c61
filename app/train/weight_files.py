"""Reading and writing the Train tab's weight files, without Qt.

`nncore.weightfile` stores a network with its normaliser, training settings, loss history
and free-form metadata. This module decides what the Train tab puts in there
(`export_meta`: the data settings, so that opening the file rebuilds the same points) and
how it reads a file back (`read_weight_file`): a file from elsewhere may lack settings, a
normaliser or history, and the tab still opens it, saying what was missing in `note`.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from app.train import limits
from app.train.session import DataSettings, PreparedData
from nncore import training, weightfile
from nncore.errors import NNCoreError, WeightFileError
from nncore.network import Network
from nncore.safetext import one_line, shown

# DataSettings in a file ("task", "dataset" and "classes" since classifiers; a file from
# `nncore train --data NAME` names its class data set "class_data")
DATA_FIELDS = ("function", "samples", "noise", "seed", "val_share", "task", "dataset", "classes")


class UnusableWeights(WeightFileError):
    """The file is a valid weight file, but the Train tab cannot use or show its network
    (not 2 inputs and 1 output, or one per class, more layers than the Layers field allows, too long a
    history). One line; the tab shows it and changes nothing."""


@dataclass
class OpenedWeights:
    """A weight file read for the Train tab.

    `config` is the file's training settings made to match its network (the article's
    recipe when the file has none); `data` the data settings it was trained on, or None
    when the file does not say (or trained on a CSV file); `note` says, in words for the
    student, what was missing, unreadable or replaced ("" when nothing was): settings
    outside what the tab's widgets show are replaced by the recipe's defaults
    (`app.train.limits.fit_settings`).
    """

    network: Network
    config: training.TrainConfig
    normaliser: object | None
    history: list[training.EpochReport]
    data: DataSettings | None
    note: str
    classes: tuple[str, ...] | None = None  # a classifier's class names


def export_meta(prepared: PreparedData) -> dict:
    """The metadata the Train tab stores beside the network: its data settings and source."""
    return {
        "app": "nn-tutor Train tab",
        "data": dataclasses.asdict(prepared.settings),
        "data_source": prepared.dataset.source,
    }


def read_weight_file(path: str) -> OpenedWeights:
    """Read `path` for the Train tab, checked against the tab's own limits.

    Raises weightfile.WeightFileError (or OSError) for a file that cannot be read, and
    UnusableWeights (a WeightFileError) for a network the tab cannot show: not 2 inputs and
    1 output (a classifier: one output per class, or one sigmoid output), hidden layers outside what the Layers field allows, an activation it does not
    offer, or a history longer than `limits.MAX_HISTORY` epochs.
    """
    wf = weightfile.load(path)
    net = wf.network
    if net.is_classifier and net.n_inputs != 2:
        raise UnusableWeights(
            f"The Train tab's classifiers tell classes apart by two inputs (x, y); this file "
            f"holds a {limits.short_architecture(net.sizes)} classifier."
        )
    if not net.is_classifier and (net.n_inputs != 2 or net.n_outputs != 1):
        raise UnusableWeights(
            f"The Train tab learns z = f(x, y), so it needs a network with 2 inputs and 1 "
            f"output; this file holds a {limits.short_architecture(net.sizes)} network."
        )
    problem = limits.network_problem(tuple(net.sizes), len(wf.history), net.is_classifier)
    hidden = set(net.activation_names[:-1])
    if problem is None and (len(hidden) != 1 or not hidden <= set(limits.ACTIVATIONS)):
        problem = (
            "the Train tab gives every hidden layer one of "
            f"{', '.join(limits.ACTIVATIONS)}; this network uses "
            f"{shown(', '.join(net.activation_names[:-1]))}"
        )
    if problem is not None:
        raise UnusableWeights(one_line(problem[0].upper() + problem[1:] + "."))
    notes = []
    cfg = _training_settings(wf.config, notes)
    cfg = dataclasses.replace(
        cfg,
        sizes=net.sizes,
        dtype=net.dtype.name,
        activation=net.activation_names[0],
        output=net.activation_names[-1],
        loss=net.loss_name,
        target_accuracy=cfg.target_accuracy if net.is_classifier else None,
    )
    if wf.normaliser is None:
        notes.append(
            "the file has no normaliser: one was fitted on the current data, so "
            "its predictions may be off in scale"
        )
    try:
        history = [training.EpochReport.from_dict(h) for h in wf.history]
    except (NNCoreError, ValueError, TypeError) as err:
        history = []
        notes.append(f"its loss history was unreadable: {err}")
    data = _data_settings(wf.meta, notes)
    if net.is_classifier and (data is None or data.task != "classification"):
        # a regression's data cannot make this network's classes: the built-in data set
        # the tab starts a classifier on, with the file's number of classes (if it offers it)
        data = None
        if net.n_classes in (2, 3):
            data = DataSettings(task="classification", classes=net.n_classes)
            notes.append(
                f"the file does not say which class data it learnt from: shown on the "
                f"{net.n_classes}-class {data.dataset}"
            )
    note = one_line("".join(f" ({n})" for n in notes))
    classes = tuple(wf.classes) if net.is_classifier and wf.classes else None
    return OpenedWeights(net, cfg, wf.normaliser, history, data, note, classes)


def _training_settings(found, notes: list[str]) -> training.TrainConfig:
    """The file's TrainConfig, with settings the tab cannot show replaced by the defaults
    of its recipe (named in `notes`); the article's recipe when there are none."""
    if not found:
        return training.recipe("article")  # the file says nothing of how it trained
    if not isinstance(found, dict):
        notes.append("its training settings were unreadable")
        return training.recipe("article")
    name = found.get("recipe")
    defaults = training.recipe(name if name in limits.RECIPE_NAMES else "article").to_dict()
    fitted, replaced = limits.fit_settings(found, defaults, limits.CONFIG_RULES, "training setting")
    if replaced:
        notes.append("replaced by defaults: " + "; ".join(replaced))
    try:
        return training.TrainConfig.from_dict(fitted)
    except (NNCoreError, ValueError, TypeError) as err:
        notes.append(f"its training settings were unreadable: {err}")
        return training.recipe("article")


def _data_settings(meta, notes: list[str]) -> DataSettings | None:
    """The function-data settings stored by `export_meta` (values the data panel cannot show
    replaced by the defaults, named in `notes`), or None (CSV data or none stored)."""
    data = meta.get("data") if isinstance(meta, dict) else None
    if not isinstance(data, dict) or data.get("csv_path") is not None:
        return None
    found = {k: data[k] for k in DATA_FIELDS if k in data}
    if "class_data" in data and "dataset" not in found:  # written by `nncore train --data`
        found.update(task="classification", dataset=data["class_data"])
    defaults = dataclasses.asdict(DataSettings())
    fitted, replaced = limits.fit_settings(found, defaults, limits.DATA_RULES, "data setting")
    if replaced:
        notes.append("replaced by defaults: " + "; ".join(replaced))
    try:  # the rules let through whole floats (1000.0) and the like: make them plain
        return DataSettings(
            function=str(fitted.get("function", defaults["function"])),
            samples=int(fitted.get("samples", defaults["samples"])),
            noise=float(fitted.get("noise", defaults["noise"])),
            seed=int(fitted.get("seed", defaults["seed"])),
            val_share=float(fitted.get("val_share", defaults["val_share"])),
            task=str(fitted.get("task", defaults["task"])),
            dataset=str(fitted.get("dataset", defaults["dataset"])),
            classes=int(fitted.get("classes", defaults["classes"])),
        )
    except (TypeError, ValueError):
        return None


__all__ = ["OpenedWeights", "UnusableWeights", "export_meta", "read_weight_file"]
