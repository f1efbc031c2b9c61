"""What the network drawing shows, as plain data and text: no Qt here.

`NetworkView` (app.widgets.network_view) paints; this module decides *what* it paints, so
that the decisions can be read and tested without a window:

- `DisplayState` holds the numbers on screen (the lesson reveals them step by step) and
  `StepFocus` what the current step involves;
- `layer_title_lines`, `node_value_text`, `node_caption_lines`, `target_line` and
  `bubble_text` write the drawing's labels from them (numbers formatted by
  `nncore.formatting.fmt`); a classifier's outputs show their probabilities and the
  true class is marked beside its output (`target_line`);
- `DisplayState.hidden` names the values a Predict question keeps back: they are written
  "?" (and drawn neutral) until the student has answered;
- `node_centres`, `edge_width` and `shown_between` are the drawing's presentation
  arithmetic: where the neurons sit, how thick a weight's line is, and the value an
  animation shows part-way through a step. None of it is model arithmetic: every number
  written comes from nncore.

A label line is `(text, role)`, with `role` one of the colour names of the drawing's
palette ("foreground", "muted", "backward"); the view turns roles into colours.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from nncore.formatting import fmt

Node = tuple[int, int]  # (column, index): column 0 the inputs, the last the outputs
Edge = tuple[int, int, int]  # (layer, i, j): weights[layer][i, j]
Line = tuple[str, str]  # (text, colour role)
# A value on the drawing: (field, key), e.g. ("z", (1, 0)), ("weights", (0, 1, 2)),
# ("biases", (0, 1)); the fields are DisplayState's.
Entry = tuple[str, tuple]
HIDDEN_TEXT = "?"  # what a value kept back for the student's prediction shows


@dataclass
class DisplayState:
    """The numbers on screen: filled entries only (a lesson reveals them step by step)."""

    weights: list = field(default_factory=list)  # arrays (fan_in, fan_out)
    biases: list = field(default_factory=list)  # arrays (1, fan_out)
    a: dict = field(default_factory=dict)  # node -> activation (inputs included)
    z: dict = field(default_factory=dict)  # node -> weighted sum
    errors: dict = field(default_factory=dict)  # node -> dL/dz
    targets: tuple = ()  # target per output, if known
    true_class: int | None = None  # a classifier's true class (targets are then one-hot / 0-1)
    new_predictions: dict = field(default_factory=dict)  # output node -> after the update
    desired: dict = field(default_factory=dict)  # output node -> target − prediction
    hidden: frozenset = frozenset()  # entries written "?" (a question waits for them)

    def is_hidden(self, name: str, key) -> bool:
        return (name, tuple(key)) in self.hidden

    def entries(self) -> dict:
        """Every value this display holds, by entry: what `changed_entries` compares."""
        out: dict = {}
        for name in ("a", "z", "errors", "desired", "new_predictions"):
            for node, value in getattr(self, name).items():
                out[(name, tuple(node))] = float(value)
        for layer, w in enumerate(self.weights):
            rows, cols = w.shape
            for i in range(rows):
                for j in range(cols):
                    out[("weights", (layer, i, j))] = float(w[i, j])
        for layer in range(len(self.biases)):
            for j in range(self.biases[layer].shape[-1]):
                out[("biases", (layer, j))] = self.bias((layer, j))
        return out

    @classmethod
    def from_network(cls, network, x=None, target=None) -> DisplayState:
        a = {}
        if x is not None:
            a = {(0, i): float(v) for i, v in enumerate(x)}
        return cls(
            weights=list(network.weights),
            biases=list(network.biases),
            a=a,
            targets=tuple(target) if target is not None else (),
        )

    @classmethod
    def from_lesson_state(cls, state, targets=(), true_class: int | None = None) -> DisplayState:
        return cls(
            true_class=true_class,
            weights=list(state.weights),
            biases=list(state.biases),
            a=dict(state.a),
            z=dict(state.z),
            errors=dict(getattr(state, "errors", {}) or {}),
            targets=tuple(targets),
            new_predictions=dict(getattr(state, "new_predictions", {}) or {}),
            desired=dict(getattr(state, "desired", {}) or {}),
        )

    def weight(self, key: Edge) -> float | None:
        """weights[layer][i, j], or None when this display has no such layer."""
        layer, i, j = key
        if layer < len(self.weights):
            return float(self.weights[layer][i, j])
        return None

    def bias(self, key: tuple[int, int]) -> float | None:
        """The bias of neuron j of weight layer `layer`, or None when unknown."""
        layer, j = key
        if layer < len(self.biases):
            b = self.biases[layer]
            return float(b[0, j] if getattr(b, "ndim", 1) == 2 else b[j])
        return None

    def weight_scale(self) -> float:
        """The largest weight's size (at least 1): the line of that weight is the thickest."""
        biggest = 1.0
        for w in self.weights:
            if w.size:
                biggest = max(biggest, float(abs(w).max()))
        return biggest


@dataclass
class StepFocus:
    """What the current step involves, read from a LessonStep (or built by hand)."""

    phase: str = ""
    kind: str = ""
    nodes: tuple = ()
    edges: tuple = ()
    value: float | None = None
    caption: str = ""
    biases: tuple = ()  # (layer, j) biases involved
    text: str = ""  # the step's formula, shown on the drawing when short
    anchor: tuple | None = None  # ("node", c, i) or ("edge", l, i, j) the result belongs to

    def involved_nodes(self) -> set[Node]:
        """The step's neurons, plus both ends of its weights and the neurons of its biases."""
        nodes = set(self.nodes)
        for layer, i, j in self.edges:
            nodes.add((layer, i))
            nodes.add((layer + 1, j))
        for layer, j in self.biases:
            nodes.add((layer + 1, j))
        return nodes


# ---- texts ---------------------------------------------------------------------------------


def layer_name(column: int, n_columns: int) -> str:
    """ "Inputs", "Hidden 1", ..., "Output"."""
    if column == 0:
        return "Inputs"
    return "Output" if column == n_columns - 1 else f"Hidden {column}"


def layer_title(column: int, n_columns: int, activation: str | None) -> str:
    """A layer's title on one line: "Hidden 1 (relu)"; the inputs have no activation."""
    activation = activation if column > 0 else None
    return layer_title_lines(layer_name(column, n_columns), activation, two_lines=False)[0]


def layer_title_lines(name: str, activation: str | None, two_lines: bool) -> list[str]:
    """A title as drawn from its parts: one line, or the name over "(activation)".

    Built from the layer's name and its activation, never by cutting the one-line text
    apart, so a name may hold any characters (a " (" included).
    """
    if not activation:
        return [name]
    if two_lines:
        return [name, f"({activation})"]
    return [f"{name} ({activation})"]


def node_value_text(node: Node, display, previous, focus: StepFocus, t: float) -> Line:
    """The number inside a neuron; a value being computed counts up from the old one.

    Not computed yet: "?" for a neuron, nothing for an input.
    """
    value = display.a.get(node)
    if display.is_hidden("a", node):
        return (HIDDEN_TEXT, "highlight")
    if value is None:
        return ("?" if node[0] > 0 else "", "muted")
    counting = t < 1.0 and node in focus.nodes and focus.phase in ("forward", "check")
    if counting:
        value = shown_between(previous.a.get(node, 0.0), value, t)
    return (fmt(value), "foreground")


def node_caption_lines(node: Node, display, previous, focus: StepFocus, t: float) -> list[Line]:
    """The lines under a neuron: its sum z, the change the output wants, δ, the new ŷ."""
    lines = []
    if display.is_hidden("z", node):
        lines.append((f"z = {HIDDEN_TEXT}", "highlight"))
    elif node[0] > 0 and node in display.z:
        z = display.z[node]
        arriving = t < 1.0 and node in focus.nodes and focus.phase == "forward"
        if arriving and node not in previous.z:
            z = shown_between(0.0, z, t)  # the new sum counts up from zero while it arrives
        lines.append((f"z = {fmt(z)}", "muted"))
    if display.is_hidden("desired", node):
        lines.append((f"wants {HIDDEN_TEXT}", "highlight"))
    elif node in display.desired:
        want = display.desired[node]
        sign = "+" if want > 0 else ""
        lines.append((f"wants {sign}{fmt(want)}", "foreground"))
    if display.is_hidden("errors", node):
        lines.append((f"δ = {HIDDEN_TEXT}", "highlight"))
    elif node in display.errors:
        lines.append((f"δ = {fmt(display.errors[node])}", "backward"))
    if display.is_hidden("new_predictions", node):
        lines.append((f"after update: {HIDDEN_TEXT}", "highlight"))
    elif node in display.new_predictions:
        lines.append((f"after update: {fmt(display.new_predictions[node])}", "foreground"))
    return lines


def target_line(k: int, display: DisplayState) -> Line | None:
    """The label beside output k: its target ("target 0.2"); for a classifier, which class
    it is, the true one marked ("class 2 (true)"), or for one sigmoid output, whose value is
    the probability of class 1, the true class ("true class 1"). None: nothing to show."""
    if k >= len(display.targets):
        return None
    if display.true_class is None:
        return (f"target {number_or_blank(display.targets[k])}", "foreground")
    if len(display.targets) == 1:
        return (f"true class {display.true_class}", "highlight")
    if k == display.true_class:
        return (f"class {k} (true)", "highlight")
    return (f"class {k}", "muted")


def changed_entries(before: DisplayState, after: DisplayState) -> frozenset:
    """The entries `after` holds that `before` lacks or holds with another value.

    What one step adds to the drawing: hide these and the drawing shows nothing the step
    computes. (A parameter that a step leaves equal, like an update by a zero gradient, is
    not among them; the caller names it.)
    """
    old = before.entries()
    return frozenset(e for e, v in after.entries().items() if old.get(e) != v)


def weight_text(display: DisplayState, key: Edge) -> str:
    """A weight's label: its number, or "?" while a question keeps it back."""
    if display.is_hidden("weights", key):
        return HIDDEN_TEXT
    return number_or_blank(display.weight(key))


def bias_text(display: DisplayState, key: tuple[int, int]) -> str:
    """A bias's label "b = 0.1", or "b = ?" while a question keeps it back."""
    if display.is_hidden("biases", key):
        return f"b = {HIDDEN_TEXT}"
    return f"b = {number_or_blank(display.bias(key))}"


def number_or_blank(value: float | None) -> str:
    """A known number as `fmt` writes it; "" for one the display does not hold."""
    return "" if value is None else fmt(value)


def bubble_text(focus: StepFocus) -> str:
    """The framed result beside the step: its short formula, else "caption = value"."""
    if focus.text:
        return focus.text
    caption = focus.caption or focus.kind.replace("_", " ")
    return f"{caption} = {number_or_blank(focus.value)}"


# ---- presentation arithmetic ---------------------------------------------------------------


def shown_between(old: float, new: float, t: float) -> float:
    """The value an animation shows at progress t in [0, 1]: old at 0, new at 1."""
    return old + (new - old) * t


def edge_width(weight: float, scale: float, base_width: float) -> float:
    """A weight's line: base_width for 0, six times it for the largest weight (`scale`)."""
    return base_width * (1.0 + 5.0 * min(1.0, abs(weight) / scale))


def node_centres(
    sizes, left: float, right: float, top: float, bottom: float
) -> dict[Node, tuple[float, float]]:
    """Where each neuron's centre goes: one column per layer, each column centred vertically.

    A column of few neurons spreads them a little (up to 1.6 times the spacing of the
    tallest column) rather than bunching them in the middle.
    """
    n_columns = len(sizes)
    spacing = (bottom - top) / max(sizes)
    column_step = (right - left) / max(1, n_columns - 1)
    centres = {}
    for column, n in enumerate(sizes):
        x = left + column * column_step if n_columns > 1 else (left + right) / 2
        column_spacing = min(spacing * 1.6, (bottom - top) / n)
        y0 = (top + bottom) / 2 - column_spacing * (n - 1) / 2
        for index in range(n):
            centres[(column, index)] = (x, y0 + index * column_spacing)
    return centres
