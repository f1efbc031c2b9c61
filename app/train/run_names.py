"""The runs of a session kept on the loss curve, and the short names that tell them apart.

Every run the student finishes, stops or puts aside stays on the loss curve for comparison
(the last `MAX_RUNS`; the oldest goes first, and the list says so). Each is named by what
differs between the runs on show, nothing else: three runs that differ only in their
learning rate are "lr 0.01", "lr 0.03" and "lr 0.1"; an article run beside a modern one is
"article" and "modern"; runs that differ in recipe and batch size are "modern, batch 32"
and so on. `run_names` builds those names from the runs' `TrainConfig`s and data settings:
it takes the settings in a fixed order of interest (recipe, learning rate, batch size, seed,
then the rest) and adds one only when it tells more runs apart, until every run has a name
of its own. Runs with the same settings throughout (Reset and train again) are numbered.

`RunBook` holds the kept runs: their settings, the curves to draw (copied, at most a few
thousand rows each), whether each is shown, and the colour slot it keeps for its whole
life, so that toggling or dropping another run never recolours it. No Qt here: this module
is tested without a display.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from app.train.session import HistoryArrays, drawn_rows
from nncore.config import TrainConfig

MAX_RUNS = 8  # kept runs on the loss curve; more would be a tangle nobody can read
SLOTS = 8  # distinct colour-and-dash looks (app.widgets.plots.run_style); reused in turn


def _number(value: float) -> str:
    return f"{value:g}"


def _batch(value: int | None) -> str:
    return "full batch" if value is None else f"batch {value}"


def _seed(value: int | None) -> str:
    return "random seed" if value is None else f"seed {value}"


def _layers(sizes: Sequence[int]) -> str:
    return "layers " + "-".join(str(s) for s in sizes)


def _function(value: str) -> str:
    text = " ".join(str(value).split())
    return text if len(text) <= 24 else text[:23] + "…"


# (where the value is, its key, how it reads) in the order a student would name a run by
Describe = Callable[[Any], str]
MODEL_FIELDS: tuple[tuple[str, Describe], ...] = (
    ("recipe", str),
    ("lr", lambda v: f"lr {_number(v)}"),
    ("batch_size", _batch),
    ("seed", _seed),
    ("optimizer", str),
    ("schedule", lambda v: f"{v} schedule"),
    ("sizes", _layers),
    ("activation", str),
    ("epochs", lambda v: f"{v:,} epochs"),
    ("weight_decay", lambda v: f"decay {_number(v)}"),
    ("init", lambda v: f"{v} init"),
    ("warmup", lambda v: f"warm-up {v}"),
    ("step_every", lambda v: f"step every {v}"),
    ("step_gamma", lambda v: f"step ×{_number(v)}"),
    ("dtype", str),
    ("output", lambda v: f"{v} output"),
    ("target_r2", lambda v: f"target R² {v}"),
    ("target_accuracy", lambda v: f"target accuracy {v}"),
    ("patience", lambda v: f"patience {v}"),
    ("time_budget", lambda v: f"{v} s budget"),
)
DATA_FIELDS: tuple[tuple[str, Describe], ...] = (
    ("function", _function),
    ("dataset", str),
    ("classes", lambda v: f"{v} classes"),
    ("samples", lambda v: "grid data" if v == 0 else f"{v:,} points"),
    ("noise", lambda v: f"noise {_number(v)}"),
    ("seed", lambda v: f"data seed {v}"),
    ("val_share", lambda v: f"{v:.0%} validation"),
    ("csv_path", lambda v: "built-in data" if v is None else f"file {_function(v)}"),
)


def _plain(data: object) -> Mapping[str, Any]:
    if data is None:
        return {}
    if dataclasses.is_dataclass(data) and not isinstance(data, type):
        return dataclasses.asdict(data)
    return dict(data)  # type: ignore[call-overload]


def _words(configs: Sequence[TrainConfig], datas: Sequence[Mapping[str, Any]]):
    """For every setting, the words each run's value reads as (model settings first)."""
    for key, describe in MODEL_FIELDS:
        yield [describe(getattr(c, key)) for c in configs]
    for key, describe in DATA_FIELDS:
        yield [describe(d[key]) if key in d else "" for d in datas]


def run_names(configs: Sequence[TrainConfig], datas: Sequence[object] | None = None) -> list[str]:
    """The shortest names that tell these runs apart (see the module docstring).

    `configs[i]` and `datas[i]` (a DataSettings or a mapping of its fields; optional) are
    run i's settings. A setting is named only if it splits runs that were alike so far;
    runs alike in every setting are "run 1", "run 2"… (or get "(2)", "(3)"… after their
    common name).
    """
    n = len(configs)
    plain = [_plain(d) for d in (datas if datas is not None else [None] * n)]
    if len(plain) != n:
        raise ValueError(f"{n} configs but {len(plain)} data settings")
    chosen: list[list[str]] = []
    groups = [()] * n  # the words chosen so far, per run: runs with equal tuples are alike
    for words in _words(configs, plain):
        split = [g + (w,) for g, w in zip(groups, words)]
        if len(set(split)) > len(set(groups)):
            chosen.append(words)
            groups = split
        if len(set(groups)) == n:
            break
    names = [", ".join(parts) for parts in zip(*chosen)] if chosen else [""] * n
    seen: dict[str, int] = {}
    result = []
    for name in names:
        seen[name] = seen.get(name, 0) + 1
        if names.count(name) > 1 or not name:
            name = f"{name} ({seen[name]})" if name else f"run {seen[name]}"
        result.append(name)
    return result


@dataclass
class KeptRun:
    """One run on the loss curve: its settings and the curves to draw (NaN = no value)."""

    config: TrainConfig
    data: object
    epochs: np.ndarray  # (k,) the drawn rows' epochs
    train: np.ndarray  # (k,) training loss
    val: np.ndarray  # (k,) validation loss, NaN without validation
    train_acc: np.ndarray  # (k,) a classifier's accuracy in %, NaN for regression
    val_acc: np.ndarray
    note: str = ""  # after the name, e.g. " (lr changed mid-run)"
    slot: int = 0  # its colour and dash (kept for its whole life)
    visible: bool = True
    name: str = ""


def kept_from_history(
    history: HistoryArrays, config: TrainConfig, data: object, note: str = ""
) -> KeptRun:
    """A run to keep, its curves copied from `history` (a long one through the few thousand
    rows `session.drawn_rows` picks, which keep its shape)."""
    rows = drawn_rows(history.column("train"))

    def column(key: str) -> np.ndarray:
        return np.array(history.column(key)[rows], dtype=float)

    return KeptRun(
        config,
        data,
        column("epoch"),
        column("train"),
        column("val"),
        column("train_acc"),
        column("val_acc"),
        note=note,
    )


@dataclass
class RunBook:
    """The session's kept runs, oldest first, at most `limit` (see the module docstring)."""

    limit: int = MAX_RUNS
    runs: list[KeptRun] = field(default_factory=list)
    dropped: int = 0  # how many older runs were let go to keep the limit
    _next_slot: int = 0

    def __len__(self) -> int:
        return len(self.runs)

    def keep(
        self, run: KeptRun, current: tuple[TrainConfig, object] | None = None
    ) -> KeptRun | None:
        """Add `run` (a new colour slot; the oldest run goes beyond the limit) and rename
        all runs, `current` (the run being trained, if any) counted among them.

        Runs of another loss than the current run's are not kept (an MSE beside a
        cross-entropy compares nothing): `run` is then not added (None is returned) and
        kept runs of the other loss go.
        """
        loss = current[0].loss if current is not None else run.config.loss
        self.runs = [r for r in self.runs if r.config.loss == loss]
        if run.config.loss != loss:
            self.rename(current)
            return None
        run.slot = self._next_slot % SLOTS
        self._next_slot += 1
        self.runs.append(run)
        while len(self.runs) > self.limit:
            self.runs.pop(0)
            self.dropped += 1
        self.rename(current)
        return run

    def rename(self, current: tuple[TrainConfig, object] | None = None) -> str:
        """Name every kept run by what differs from the others and from `current`; returns
        the current run's name ("" without one)."""
        configs = [r.config for r in self.runs]
        datas = [r.data for r in self.runs]
        if current is not None:
            configs.append(current[0])
            datas.append(current[1])
        names = run_names(configs, datas)
        for run, name in zip(self.runs, names):
            run.name = name + run.note
        return names[-1] if current is not None and names else ""

    def toggle(self, index: int) -> bool:
        """Show or hide run `index`; returns whether it is shown now."""
        run = self.runs[index]
        run.visible = not run.visible
        return run.visible

    def clear(self) -> None:
        """Let go of every kept run (colours start again from the first)."""
        self.runs.clear()
        self.dropped = 0
        self._next_slot = 0

    def dropped_note(self) -> str:
        """A line for the list of runs when older runs were let go, else ""."""
        if not self.dropped:
            return ""
        older = "run" if self.dropped == 1 else "runs"
        return f"{self.dropped} older {older} dropped (the last {self.limit} are kept)"


__all__ = ["KeptRun", "MAX_RUNS", "RunBook", "kept_from_history", "run_names"]
