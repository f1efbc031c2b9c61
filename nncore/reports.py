"""What a training run reports: one `EpochReport` per epoch, a `StopReason` at the end, and
`RunState`, a consistent snapshot that can be handed to another thread. `diverged_reason`
words the stop reason of a run that blew up: what happened, the likely cause, what to try
and which weights were kept.

All of them turn into plain JSON-able dicts and back (`to_dict` / `from_dict`), which is how
weight files keep a run's history.
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass, field

from .data import Normaliser
from .errors import SettingsError
from .formatting import fmt
from .network import Network

STOP_KINDS = ("epochs", "target", "time", "plateau", "diverged", "stopped")

# How far a loss may rise above the run's yardstick (see nncore.training) before the run counts
# as diverged: at once ("exploded"), or after rising for many epochs in a row ("runaway").
EXPLODE_FACTOR = 1e6
RUNAWAY_FACTOR = 100.0

LOSS_NAMES = ("mse", "cross_entropy")  # what `EpochReport.loss_name` may say


# The names of a report's fields in a file (weight files, `to_dict`): the losses keep the
# keys "train_mse" / "val_mse" that every weight file has used, for both kinds of network;
# a classifier's report adds "loss_name".
_FILE_KEYS = {"train_loss": "train_mse", "val_loss": "val_mse"}


@dataclass(init=False)
class EpochReport:
    """What one epoch did. `epoch` counts from 1 (the first epoch is 1, so after it
    `run.epoch == history[-1].epoch`).

    `train_loss` / `val_loss` are the loss the network learns with, named by `loss_name`:
    "mse", plain MSE on normalised data (the article's printed number), or
    "cross_entropy", a classifier's mean −log p(true class). `train_*` are measured before
    each update (see `nncore.training`), `val_*` after the epoch's last update, and are
    None without validation data. `train_r2` / `val_r2` are R² (McFadden's for a
    classifier: 1 − loss / the loss of predicting the class shares). `lr` is the rate the
    epoch used, `elapsed` the seconds of training so far (pauses excluded). Per weight
    layer: `weight_norms` (‖W‖ after the epoch), `grad_norms` (‖dL/dW‖, root-mean-square
    over the epoch's updates) and `dead_fraction` (share of the layer's ReLU neurons that
    were inactive on every sample seen this epoch; 0 for layers whose neurons cannot die:
    the output, leaky ReLU, sigmoid, tanh and linear layers). `train_accuracy` /
    `val_accuracy` are a classifier's share of right answers (None for regression, and
    without validation data).

    `train_mse` / `val_mse` mean what they say: the losses of a regression, None for a
    classifier (read-only). They are also accepted when a report is made, for the losses
    of a regression (`EpochReport(epoch=1, train_mse=0.5, ...)`, as older code writes).
    """

    epoch: int
    train_loss: float
    val_loss: float | None
    train_r2: float
    val_r2: float | None
    lr: float
    elapsed: float
    weight_norms: list[float] = field(default_factory=list)
    grad_norms: list[float] = field(default_factory=list)
    dead_fraction: list[float] = field(default_factory=list)
    train_accuracy: float | None = None
    val_accuracy: float | None = None
    loss_name: str = "mse"

    def __init__(
        self,
        epoch: int,
        train_loss: float | None = None,
        val_loss: float | None = None,
        train_r2: float = 0.0,
        val_r2: float | None = None,
        lr: float = 0.0,
        elapsed: float = 0.0,
        weight_norms: list[float] | None = None,
        grad_norms: list[float] | None = None,
        dead_fraction: list[float] | None = None,
        train_accuracy: float | None = None,
        val_accuracy: float | None = None,
        loss_name: str = "mse",
        *,
        train_mse: float | None = None,
        val_mse: float | None = None,
    ):
        if train_mse is not None or val_mse is not None:
            if loss_name != "mse" or train_loss is not None or val_loss is not None:
                raise SettingsError(
                    "train_mse / val_mse are a regression's losses: give them alone, or "
                    "train_loss / val_loss with loss_name"
                )
            train_loss, val_loss = train_mse, val_mse
        if train_loss is None:
            raise SettingsError("an epoch report needs its training loss (train_loss)")
        if loss_name not in LOSS_NAMES:
            raise SettingsError(
                f"loss_name must be one of {', '.join(LOSS_NAMES)}; got {loss_name!r}"
            )
        self.epoch = epoch
        self.train_loss = train_loss
        self.val_loss = val_loss
        self.train_r2 = train_r2
        self.val_r2 = val_r2
        self.lr = lr
        self.elapsed = elapsed
        self.weight_norms = list(weight_norms or [])
        self.grad_norms = list(grad_norms or [])
        self.dead_fraction = list(dead_fraction or [])
        self.train_accuracy = train_accuracy
        self.val_accuracy = val_accuracy
        self.loss_name = loss_name

    @property
    def train_mse(self) -> float | None:
        """The training MSE of a regression; None for a classifier (see `train_loss`)."""
        return self.train_loss if self.loss_name == "mse" else None

    @property
    def val_mse(self) -> float | None:
        """The validation MSE of a regression; None for a classifier or without validation."""
        return self.val_loss if self.loss_name == "mse" else None

    @property
    def is_classifier(self) -> bool:
        return self.loss_name == "cross_entropy"

    def to_dict(self) -> dict:
        """Plain values, with the file keys ("train_mse"/"val_mse" hold the loss for both
        kinds of network); "loss_name" only for a classifier, so a regression's dict is the
        one every earlier version wrote."""
        d = dataclasses.asdict(self)
        out = {_FILE_KEYS.get(k, k): v for k, v in d.items() if k != "loss_name"}
        if self.loss_name != "mse":
            out["loss_name"] = self.loss_name
        return out

    @classmethod
    def from_dict(cls, d: dict) -> EpochReport:
        """Rebuild from `to_dict()` (or a weight file's history). A classifier's report
        written before "loss_name" existed is known by its accuracy."""
        if not isinstance(d, dict):
            raise SettingsError(f"an epoch report must be a dict; got {type(d).__name__}")
        d = {next((k for k, v in _FILE_KEYS.items() if v == key), key): v for key, v in d.items()}
        names = [f.name for f in dataclasses.fields(cls)]
        missing = [n for n in names[:7] if n not in d]
        if missing:
            shown_missing = [_FILE_KEYS.get(n, n) for n in missing]
            raise SettingsError(f"epoch report is missing {', '.join(shown_missing)}")
        unknown = sorted(str(k) for k in d if k not in names)
        if unknown:
            raise SettingsError(f"epoch report has unknown field(s) {', '.join(unknown)}")
        train_accuracy = d.get("train_accuracy")
        default_loss = "mse" if train_accuracy is None else "cross_entropy"
        try:
            return cls(
                epoch=int(d["epoch"]),
                train_loss=float(d["train_loss"]),
                val_loss=_maybe_float(d["val_loss"]),
                train_r2=float(d["train_r2"]),
                val_r2=_maybe_float(d["val_r2"]),
                lr=float(d["lr"]),
                elapsed=float(d["elapsed"]),
                weight_norms=[float(v) for v in d.get("weight_norms", [])],
                grad_norms=[float(v) for v in d.get("grad_norms", [])],
                dead_fraction=[float(v) for v in d.get("dead_fraction", [])],
                train_accuracy=_maybe_float(train_accuracy),
                val_accuracy=_maybe_float(d.get("val_accuracy")),
                loss_name=str(d.get("loss_name", default_loss)),
            )
        except (TypeError, ValueError) as err:
            raise SettingsError(f"epoch report holds a value that is not a number: {err}") from None


def _maybe_float(value) -> float | None:
    return None if value is None else float(value)


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


def diverged_reason(
    loss: float,
    *,
    lr: float,
    optimizer: str,
    recipe: str,
    epoch: int,
    where: str = "",
    start_loss: float | None = None,
    rising_epochs: int | None = None,
    kept: str = "",
) -> StopReason:
    """The "diverged" StopReason: a short message, and a detail saying what happened (the
    loss met at `epoch`, `where` in it, against `start_loss`; `rising_epochs` for a runaway),
    the likely cause for this `optimizer` at `lr`, what to try and what was `kept`."""
    place = f"At epoch {epoch:,}" + (f", {where}," if where else "")
    if math.isnan(loss):
        what = f"{place} the loss became NaN (not a number): the arithmetic broke down."
        short = "the loss became NaN"
    elif math.isinf(loss):
        what = f"{place} the loss became infinite: the numbers grew too large to store."
        short = "the loss became infinite"
    elif rising_epochs is not None:
        what = (
            f"The loss has gone up for {rising_epochs} epochs in a row and reached "
            f"{fmt(loss)}, more than {RUNAWAY_FACTOR:g} times where it started."
        )
        short = f"the loss kept growing, to {fmt(loss)}"
    else:
        what = (
            f"{place} the loss jumped to {fmt(loss)}, more than a million times larger than "
            "at the start."
        )
        short = f"the loss exploded to {fmt(loss)}"
    if start_loss is not None and math.isfinite(start_loss):
        what += f" At the start it was {fmt(start_loss)}."
    if optimizer == "adam":
        cause = (
            f"The likely cause is a learning rate too large for this network: Adam moves "
            f"every weight by about the learning rate ({lr:g}) at each update, and steps "
            f"that big overshoot."
        )
    elif optimizer == "momentum":
        cause = (
            f"The likely cause is a learning rate ({lr:g}) too large for momentum: the "
            f"velocity keeps building up and every step overshoots the valley by more than "
            f"the last."
        )
    else:
        cause = (
            f"The likely cause is a learning rate ({lr:g}) too large for gradient descent: "
            f"each update overshoots the bottom of the valley and lands higher on the other "
            f"side, so the next gradient is larger still."
        )
    tips = [f"lower the learning rate 10× (to {lr / 10:g})"]
    if optimizer != "adam":
        tips.append("switch to Adam")
    if recipe != "modern":
        tips.append("start from the modern recipe")
    advice = "Try: " + ", or ".join(tips) + "."
    detail = " ".join(part for part in (what, cause, advice, kept) if part)
    return StopReason("diverged", f"Training diverged: {short}.", detail)
