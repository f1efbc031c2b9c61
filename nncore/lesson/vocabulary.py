"""The lesson's vocabulary: its five phases and twenty-six kinds of step, in lesson order.

Every text that names a phase or a kind of step lives here once, so the engine, the hand-outs
and the app's panels all say the same thing:

- a `Phase` has a short `title` (timeline, explanation heading), the `heading` of its section
  in a hand-out and the `intro` sentence that opens that section;
- a `StepKind` has a `title` ("weight gradient"), a one-symbol `caption` for the bubble drawn
  on the network ("∂L/∂w"), the phase it belongs to and whether it is about a bias.

`PHASES` and `KINDS` keep the plain names the rest of the code has always used. Seventeen
kinds are those of every lesson (squared error); the other nine only appear in a classifier's
lesson (`CLASSIFIER_STEP_KINDS`): the softmax's exponentials, their sum and the probabilities,
the cross-entropy −log p of the true class, the output errors p − y and the check's new
probabilities and cross-entropy.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Phase:
    """One of the five parts of a training iteration."""

    name: str
    title: str
    heading: str
    intro: str


@dataclass(frozen=True)
class StepKind:
    """One kind of elementary operation."""

    name: str
    phase: str
    title: str
    caption: str
    about_bias: bool = False


LESSON_PHASES: tuple[Phase, ...] = (
    Phase(
        "forward",
        "Forward pass",
        "Forward pass",
        "Each neuron multiplies every value flowing into it by the weight of that "
        "connection, adds the products and its bias, then applies its activation.",
    ),
    Phase(
        "loss",
        "Loss",
        "How wrong is the prediction?",
        "Compare each prediction with the answer we want.",
    ),
    Phase(
        "backward",
        "Backward pass",
        "Backward pass: who should change, and how much",
        "Starting at the output, work out how much each neuron's sum should change "
        "and from that each weight's and bias's gradient. Nothing is changed yet.",
    ),
    Phase(
        "update",
        "Update",
        "Update: move every parameter a little",
        "Only now is every parameter moved, by learning rate × gradient, subtracted.",
    ),
    Phase(
        "check",
        "Check",
        "Check: the same example again",
        "Run the same example forward through the updated network.",
    ),
)

STEP_KINDS: tuple[StepKind, ...] = (
    StepKind("product", "forward", "input × weight", "input × weight"),
    StepKind("bias", "forward", "add the bias", "b", about_bias=True),
    StepKind("sum", "forward", "weighted sum z", "z"),
    StepKind("activation", "forward", "activation a", "a"),
    StepKind("exponential", "forward", "exponential e^z", "e^z"),
    StepKind("exp_sum", "forward", "sum of the exponentials", "Σ e^z"),
    StepKind("probability", "forward", "probability p", "p"),
    StepKind("prediction", "loss", "prediction", "ŷ"),
    StepKind("error", "loss", "error", "y − ŷ"),
    StepKind("loss", "loss", "loss", "MSE"),
    StepKind("log_loss", "loss", "cross-entropy −log p", "−log p"),
    StepKind("binary_log_loss", "loss", "binary cross-entropy", "BCE"),
    StepKind("mean_log_loss", "loss", "mean cross-entropy", "CE"),
    StepKind("output_error", "backward", "output error δ", "δ"),
    StepKind("prob_error", "backward", "output error p − y", "p − y"),
    StepKind("weight_grad", "backward", "weight gradient", "∂L/∂w"),
    StepKind("bias_grad", "backward", "bias gradient", "∂L/∂b", about_bias=True),
    StepKind("backprop_product", "backward", "error × weight", "δ × w"),
    StepKind("backprop_sum", "backward", "sum of errors", "∂L/∂a"),
    StepKind("activation_grad", "backward", "through the activation", "δ"),
    StepKind("weight_update", "update", "new weight", "new w"),
    StepKind("bias_update", "update", "new bias", "new b", about_bias=True),
    StepKind("new_prediction", "check", "new prediction", "new ŷ"),
    StepKind("new_loss", "check", "new loss", "new MSE"),
    StepKind("new_probability", "check", "new probability", "new p"),
    StepKind("new_log_loss", "check", "new cross-entropy", "new CE"),
)

# The kinds only a classifier's lesson has (loss="cross_entropy", a softmax or sigmoid output).
CLASSIFIER_STEP_KINDS: tuple[str, ...] = (
    "exponential",
    "exp_sum",
    "probability",
    "log_loss",
    "binary_log_loss",
    "mean_log_loss",
    "prob_error",
    "new_probability",
    "new_log_loss",
)

PHASE_BY_NAME: dict[str, Phase] = {p.name: p for p in LESSON_PHASES}
KIND_BY_NAME: dict[str, StepKind] = {k.name: k for k in STEP_KINDS}

# The plain names, as the engine, the tests and the app have always used them.
PHASES: tuple[str, ...] = tuple(p.name for p in LESSON_PHASES)
KINDS: dict[str, tuple[str, ...]] = {
    p: tuple(k.name for k in STEP_KINDS if k.phase == p) for p in PHASES
}
BIAS_STEP_KINDS: tuple[str, ...] = tuple(k.name for k in STEP_KINDS if k.about_bias)

# How finely a student can step: coarser units are unions of finer ones.
GRANULARITIES = ("operation", "neuron", "layer", "phase", "iteration")
