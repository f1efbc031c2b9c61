"""The Train tab's own limits, in one place, and the checks a weight file must pass against them.

The tab's widgets can show only so much: a spin box holds a 32-bit integer, the Layers field
accepts 1 to 8 hidden layers of 1 to 512 neurons, the Epochs box goes to 1,000,000. The panels
take their ranges from here, and everything a weight file says is checked against the same
ranges *before* any widget is touched (a value a widget cannot hold would raise OverflowError
from Qt, or be clamped silently into another run).

What a file brings is handled in two ways, on purpose:

- the network itself must fit (`network_problem`): two inputs, one output (one per class for
  a classifier, 2 to `MAX_CLASSES`), hidden layers the
  Layers field allows, and a history of at most `MAX_HISTORY` epochs. A network is what the
  student came for and cannot be "replaced by a default", so a file that does not fit is
  refused and nothing in the tab changes;
- a setting (`fit_settings`: learning rate, epochs, seed, batch size, ..., or a data setting
  such as the sample count) outside the tab's range is replaced by the recipe's default, and
  the replaced settings are named in the note shown when the file opens. The weights are
  still good; only how to go on training them changes, and the student is told.

No Qt here: tested without a display.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from nncore import checks
from nncore.errors import SettingsError
from nncore.formatting import fmt
from nncore.safetext import shown

# ---- the architecture the Layers field accepts ---------------------------------------------
N_INPUTS, N_OUTPUTS = 2, 1  # z = f(x, y)
MAX_CLASSES = 10  # a classifier's outputs, one per class (a CSV label column may name more)
MAX_HIDDEN_LAYERS = 8
MAX_WIDTH = 512  # neurons in a hidden layer

# ---- the widgets' ranges (the panels set their spin boxes from these) --------------------
LR_RANGE = (0.000001, 10.0)
WARMUP_RANGE = (0, 10_000)
BATCH_RANGE = (0, 100_000)  # 0 shows "full batch" (None in a TrainConfig)
EPOCHS_RANGE = (1, 1_000_000)
SEED_RANGE = (0, 2**31 - 1)  # a QSpinBox holds a signed 32-bit int
SAMPLES_RANGE = (10, 200_000)  # the data panel's custom count; 0 is the 100 × 100 grid
NOISE_RANGE = (0.0, 100.0)
VAL_PERCENT_RANGE = (0, 50)

# ---- histories --------------------------------------------------------------------------
# A history is read in a child process and taken over in chunks between frames
# (app.train.opening), so its length adds no pause; but every epoch costs memory (about ten
# Python objects) and time to open (a 50,000-epoch file is 13 MB and takes 5-7 s here).
# 50,000 epochs is 12 times the article's longest run (4,000). Longer files are refused with
# this number in the message (the nncore command line reads them); the tab says so when it
# exports a run that long.
MAX_HISTORY = 50_000

RECIPE_NAMES = ("article", "modern", "classify")
ACTIVATIONS = ("relu", "leaky_relu", "tanh", "sigmoid")
INITS = ("article", "he", "xavier")
OPTIMIZERS = ("gd", "momentum", "adam")
SCHEDULES = ("constant", "step", "cosine")
DTYPES = ("float64", "float32")
TASK_NAMES = ("regression", "classification")
# nncore.data.CLASS_DATASETS, and "sign": two classes by the sign of the function or formula
CLASS_DATASET_NAMES = ("circle", "xor", "gaussians", "spiral", "sign")


def architecture_problem(sizes: tuple[int, ...], n_outputs: int = N_OUTPUTS) -> str | None:
    """Why the Layers field would refuse `sizes`, in words, or None when it accepts them;
    `n_outputs` is the last size it needs (1 for regression, the classes for a classifier,
    0 for any number of classes from 2 to MAX_CLASSES: a classifier from a file)."""
    if len(sizes) < 3:
        return f"give at least one hidden layer, e.g. 2-16-{n_outputs or 2}"
    if n_outputs == 0 and sizes[0] == N_INPUTS and not 1 <= sizes[-1] <= MAX_CLASSES:
        return f"a classifier here tells 2 to {MAX_CLASSES} classes apart; this one {sizes[-1]:,}"
    if n_outputs == N_OUTPUTS and (sizes[0] != N_INPUTS or sizes[-1] != N_OUTPUTS):
        return "the first size must be 2 (the inputs x and y) and the last 1 (the output z)"
    if n_outputs > N_OUTPUTS and (sizes[0] != N_INPUTS or sizes[-1] != n_outputs):
        return (
            f"the first size must be 2 (the inputs x and y) and the last {n_outputs} "
            f"(one output for each of the {n_outputs} classes)"
        )
    if sizes[0] != N_INPUTS:
        return "the first size must be 2 (the inputs x and y)"
    if len(sizes) - 2 > MAX_HIDDEN_LAYERS:
        return f"at most {MAX_HIDDEN_LAYERS} hidden layers; this has {len(sizes) - 2:,}"
    if any(not 1 <= s <= MAX_WIDTH for s in sizes[1:-1]):
        widest = max(sizes[1:-1])
        return f"hidden layers need between 1 and {MAX_WIDTH} neurons; one has {widest:,}"
    return None


def short_architecture(sizes) -> str:
    """ "2-64-1", or its first dozen sizes and "…" for a very deep network."""
    sizes = tuple(sizes)
    return "-".join(str(s) for s in sizes[:12]) + ("-…" if len(sizes) > 12 else "")


def network_problem(
    sizes: tuple[int, ...], history_length: int, classifier: bool = False
) -> str | None:
    """Why the tab refuses a file's network (shape or history length), or None."""
    problem = architecture_problem(tuple(sizes), 0 if classifier else N_OUTPUTS)
    if problem is not None:
        arch = short_architecture(sizes)
        return f"the Train tab cannot show this {len(sizes) - 1:,}-layer {arch} network: {problem}"
    if history_length > MAX_HISTORY:
        return (
            f"its history holds {history_length:,} epochs; the Train tab opens at most "
            f"{MAX_HISTORY:,} (the nncore command line reads longer ones)"
        )
    return None


# ---- one rule per setting a widget shows ------------------------------------------------
@dataclass(frozen=True)
class Rule:
    """What one widget can show: `allows(value)` and the range in words."""

    text: str
    allows: Callable[[object], bool]


def _whole_rule(low: int, high: int, none_ok: bool = False) -> Rule:
    def allows(value: object) -> bool:
        if value is None:
            return none_ok
        try:
            checks.whole(value, "value", low, high)
        except (TypeError, ValueError):
            return False
        return True

    extra = " or none" if none_ok else ""
    return Rule(f"a whole number from {low:,} to {high:,}{extra}", allows)


def _number_rule(low: float, high: float) -> Rule:
    def allows(value: object) -> bool:
        try:
            checks.number(value, "value", low, high)
        except (TypeError, ValueError):
            return False
        return True

    return Rule(f"a number from {fmt(low)} to {fmt(high)}", allows)


def _choice_rule(options: tuple[str, ...]) -> Rule:
    return Rule("one of " + ", ".join(options), lambda value: value in options)


CONFIG_RULES: dict[str, Rule] = {
    "recipe": _choice_rule(RECIPE_NAMES),
    "activation": _choice_rule(ACTIVATIONS),
    "init": _choice_rule(INITS),
    "optimizer": _choice_rule(OPTIMIZERS),
    "schedule": _choice_rule(SCHEDULES),
    "dtype": _choice_rule(DTYPES),
    "lr": _number_rule(*LR_RANGE),
    "warmup": _whole_rule(*WARMUP_RANGE),
    "batch_size": _whole_rule(1, BATCH_RANGE[1], none_ok=True),
    "epochs": _whole_rule(*EPOCHS_RANGE),
    "seed": _whole_rule(*SEED_RANGE, none_ok=True),
}

DATA_RULES: dict[str, Rule] = {
    "function": Rule(
        "a function's name or a formula of at most 500 characters",
        lambda value: isinstance(value, str) and 0 < len(value) <= 500,
    ),
    "samples": Rule(
        f"0 (the grid) or a whole number from {SAMPLES_RANGE[0]:,} to {SAMPLES_RANGE[1]:,}",
        lambda value: value == 0 or _whole_rule(*SAMPLES_RANGE).allows(value),
    ),
    "noise": _number_rule(*NOISE_RANGE),
    "task": _choice_rule(TASK_NAMES),
    "dataset": _choice_rule(CLASS_DATASET_NAMES),
    "classes": _whole_rule(2, 3),
    "seed": _whole_rule(*SEED_RANGE),
    "val_share": Rule(
        f"a share from 0 to {VAL_PERCENT_RANGE[1] / 100:g}",
        _number_rule(VAL_PERCENT_RANGE[0] / 100, VAL_PERCENT_RANGE[1] / 100).allows,
    ),
}


def fit_settings(
    found: Mapping, defaults: Mapping, rules: Mapping[str, Rule], what: str
) -> tuple[dict, list[str]]:
    """`found` (settings read from a file) with every value a rule refuses replaced by its
    value in `defaults`; returns (settings, one phrase per replaced setting).

    Keys without a rule pass through unchanged (nncore checks them when the run is built).
    """
    fitted = dict(found)
    replaced = []
    for key, rule in rules.items():
        if key in fitted and not rule.allows(fitted[key]):
            replaced.append(
                f"{what} {key} {shown(fitted[key], limit=24)} (the tab shows {rule.text})"
            )
            fitted[key] = defaults.get(key)
    return fitted, replaced


def config_problems(values: Mapping) -> list[str]:
    """The settings in `values` (a TrainConfig's dict) that the model panel cannot show."""
    return [
        f"{key} {shown(values[key], limit=24)}: the tab shows {rule.text}"
        for key, rule in CONFIG_RULES.items()
        if key in values and not rule.allows(values[key])
    ]


def require_showable(values: Mapping, data: Mapping | None = None) -> None:
    """Raise SettingsError (one line) when the model panel cannot show these settings (a
    TrainConfig's dict), or the data panel these data settings (a DataSettings' dict)."""
    problems = config_problems(values) if values else []
    for key, rule in DATA_RULES.items():
        if data and key in data and not rule.allows(data[key]):
            problems.append(f"data {key} {shown(data[key], limit=24)}: the tab shows {rule.text}")
    sizes = values.get("sizes")
    if sizes is not None:
        classifier = values.get("loss") == "cross_entropy"
        arch = architecture_problem(tuple(sizes), 0 if classifier else N_OUTPUTS)
        if arch is not None:
            problems.insert(0, f"sizes: {arch}")
    if problems:
        raise SettingsError("the Train tab cannot show these settings: " + "; ".join(problems))


__all__ = [
    "MAX_HIDDEN_LAYERS",
    "MAX_WIDTH",
    "MAX_CLASSES",
    "MAX_HISTORY",
    "LR_RANGE",
    "WARMUP_RANGE",
    "BATCH_RANGE",
    "EPOCHS_RANGE",
    "SEED_RANGE",
    "SAMPLES_RANGE",
    "NOISE_RANGE",
    "VAL_PERCENT_RANGE",
    "CONFIG_RULES",
    "DATA_RULES",
    "Rule",
    "architecture_problem",
    "network_problem",
    "short_architecture",
    "fit_settings",
    "config_problems",
    "require_showable",
]
