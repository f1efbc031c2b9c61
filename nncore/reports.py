"""What a training run reports: one `EpochReport` per epoch, a `StopReason` at the end, and
`RunState`, a consistent snapshot that can be handed to another thread.

All of them turn into plain JSON-able dicts and back (`to_dict` / `from_dict`), which is how
weight files keep a run's history.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field

from .data import Normaliser
from .errors import SettingsError
from .network import Network

STOP_KINDS = ("epochs", "target", "time", "plateau", "diverged", "stopped")


@dataclass
class EpochReport:
    """What one epoch did. `epoch` counts from 1 (the first epoch is 1, so after it
    `run.epoch == history[-1].epoch`).

    Losses are plain MSE on normalised data (the article's printed number); `train_*` are
    measured before each update (see `nncore.training`), `val_*` after the epoch's last
    update, and are None without validation data. `lr` is the rate the epoch used, `elapsed`
    the seconds of training so far (pauses excluded). Per weight layer: `weight_norms`
    (‖W‖ after the epoch), `grad_norms` (‖dL/dW‖, root-mean-square over the epoch's updates)
    and `dead_fraction` (share of the layer's ReLU neurons that were inactive on every
    sample seen this epoch; 0 for layers whose neurons cannot die: the output, leaky ReLU,
    sigmoid, tanh and linear layers).
    """

    epoch: int
    train_mse: float
    val_mse: float | None
    train_r2: float
    val_r2: float | None
    lr: float
    elapsed: float
    weight_norms: list[float] = field(default_factory=list)
    grad_norms: list[float] = field(default_factory=list)
    dead_fraction: list[float] = field(default_factory=list)

    def to_dict(self) -> dict:
        return dataclasses.asdict(self)

    @classmethod
    def from_dict(cls, d: dict) -> EpochReport:
        if not isinstance(d, dict):
            raise SettingsError(f"an epoch report must be a dict; got {type(d).__name__}")
        names = [f.name for f in dataclasses.fields(cls)]
        missing = [n for n in names[:7] if n not in d]
        if missing:
            raise SettingsError(f"epoch report is missing {', '.join(missing)}")
        unknown = sorted(str(k) for k in d if k not in names)
        if unknown:
            raise SettingsError(f"epoch report has unknown field(s) {', '.join(unknown)}")
        try:
            return cls(
                epoch=int(d["epoch"]),
                train_mse=float(d["train_mse"]),
                val_mse=None if d["val_mse"] is None else float(d["val_mse"]),
                train_r2=float(d["train_r2"]),
                val_r2=None if d["val_r2"] is None else float(d["val_r2"]),
                lr=float(d["lr"]),
                elapsed=float(d["elapsed"]),
                weight_norms=[float(v) for v in d.get("weight_norms", [])],
                grad_norms=[float(v) for v in d.get("grad_norms", [])],
                dead_fraction=[float(v) for v in d.get("dead_fraction", [])],
            )
        except (TypeError, ValueError) as err:
            raise SettingsError(f"epoch report holds a value that is not a number: {err}") from None


@dataclass
class StopReason:
    """Why a run ended. `kind` is one of STOP_KINDS; `message` one short sentence; for
    "diverged", `detail` says what happened, the likely cause and what to try."""

    kind: str
    message: str
    detail: str = ""

    def __post_init__(self):
        if self.kind not in STOP_KINDS:
            raise SettingsError(f"unknown stop kind {self.kind!r}; one of: {', '.join(STOP_KINDS)}")

    def to_dict(self) -> dict:
        return dataclasses.asdict(self)

    @classmethod
    def from_dict(cls, d: dict) -> StopReason:
        if not isinstance(d, dict) or "kind" not in d or "message" not in d:
            raise SettingsError("a stop reason needs 'kind' and 'message'")
        return cls(str(d["kind"]), str(d["message"]), str(d.get("detail", "")))


@dataclass
class RunState:
    """A consistent snapshot of a run (what `TrainingRun.state()` returns): safe to hand to
    another thread, since the network is a copy."""

    epoch: int
    lr: float
    done: bool
    stop_reason: StopReason | None
    report: EpochReport | None
    network: Network
    normaliser: Normaliser
