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

from app.train.session import DataSettings, PreparedData
from nncore import training, weightfile
from nncore.network import Network

DATA_FIELDS = ("function", "samples", "noise", "seed", "val_share")  # DataSettings in a file


class UnusableWeights(ValueError):
    """The file is a valid weight file, but its network cannot learn z = f(x, y)."""


@dataclass
class OpenedWeights:
    """A weight file read for the Train tab.

    `config` is the file's training settings made to match its network (the article's
    recipe when the file has none); `data` the data settings it was trained on, or None
    when the file does not say (or trained on a CSV file); `note` says, in words for the
    student, what was missing or unreadable ("" when nothing was).
    """

    network: Network
    config: training.TrainConfig
    normaliser: object | None
    history: list[training.EpochReport]
    data: DataSettings | None
    note: str


def export_meta(prepared: PreparedData) -> dict:
    """The metadata the Train tab stores beside the network: its data settings and source."""
    return {
        "app": "nn-tutor Train tab",
        "data": dataclasses.asdict(prepared.settings),
        "data_source": prepared.dataset.source,
    }


def read_weight_file(path: str) -> OpenedWeights:
    """Read `path` for the Train tab.

    Raises weightfile.WeightFileError, OSError or ValueError for a file that cannot be
    read, and UnusableWeights for a network without 2 inputs and 1 output.
    """
    wf = weightfile.load(path)
    net = wf.network
    if net.n_inputs != 2 or net.n_outputs != 1:
        raise UnusableWeights(
            f"The Train tab learns z = f(x, y), so it needs a network with 2 inputs and 1 "
            f"output; this file holds a {net.architecture} network."
        )
    note = ""
    try:
        cfg = training.TrainConfig.from_dict(wf.config) if wf.config else None
    except ValueError as err:
        cfg = None
        note += f" (its training settings were unreadable: {err})"
    if cfg is None:
        cfg = training.recipe("article")  # the file says nothing of how it trained
    cfg = dataclasses.replace(
        cfg, sizes=net.sizes, dtype=net.dtype.name, activation=net.activation_names[0]
    )
    if wf.normaliser is None:
        note += (
            " (the file has no normaliser: one was fitted on the current data, so "
            "its predictions may be off in scale)"
        )
    try:
        history = [training.EpochReport.from_dict(h) for h in wf.history]
    except ValueError as err:
        history = []
        note += f" (its loss history was unreadable: {err})"
    return OpenedWeights(net, cfg, wf.normaliser, history, _data_settings(wf.meta), note)


def _data_settings(meta) -> DataSettings | None:
    """The function-data settings stored by `export_meta`, or None (CSV data, none stored,
    or values DataSettings refuses)."""
    data = meta.get("data") if isinstance(meta, dict) else None
    if not isinstance(data, dict) or data.get("csv_path") is not None:
        return None
    try:
        return DataSettings(**{k: data[k] for k in DATA_FIELDS if k in data})
    except (TypeError, ValueError):
        return None


__all__ = ["OpenedWeights", "UnusableWeights", "export_meta", "read_weight_file"]
