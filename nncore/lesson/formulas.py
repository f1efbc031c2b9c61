"""Each step's formula with its numbers written in, as plain text and as LaTeX.

One function per kind of step; each returns `(plain, latex)`, e.g.
("x₁ × w(x₁→h₁) = 0.1 × 0.6 = 0.06", "x_{1} \\cdot w_{x_{1}\\to h_{1}} = 0.1 \\cdot 0.6 = 0.06").
The functions only write: every number arrives computed by the engine. Negative numbers
inside a product or a sum are parenthesised (`operand`) so "0.7 × (−0.5)" reads unambiguously.
"""

from __future__ import annotations

from collections.abc import Sequence

from ..formatting import digits_to_show, fmt, fmt_tex, operand, operand_tex
from .names import NodeNames

Text = tuple[str, str]  # (plain text, LaTeX)


def example_prefix(sample: int) -> Text:
    """'[example 2] ' in front of a step about one example of a batch."""
    return f"[example {sample + 1}] ", f"\\text{{[example {sample + 1}]}}\\ "


def _d(name_tex: str) -> str:
    """∂L/∂name in LaTeX."""
    return f"\\frac{{\\partial L}}{{\\partial {name_tex}}}"


# ---- forward ------------------------------------------------------------------------------
def product(nm: NodeNames, l: int, i: int, j: int, a: float, w: float, p: float) -> Text:
    return (
        f"{nm.node(l, i)} × {nm.weight(l, i, j)} = {fmt(a)} × {operand(w)} = {fmt(p)}",
        f"{nm.node_tex(l, i)} \\cdot {nm.weight_tex(l, i, j)} = {fmt_tex(a)} "
        f"\\cdot {operand_tex(w)} = {fmt_tex(p)}",
    )


def bias(nm: NodeNames, l: int, j: int, b: float) -> Text:
    return f"{nm.bias(l, j)} = {fmt(b)}", f"{nm.bias_tex(l, j)} = {fmt_tex(b)}"


def weighted_sum(
    nm: NodeNames, col: int, j: int, products: Sequence[float], b: float, z: float
) -> Text:
    terms = " + ".join(operand(p) for p in products) + " + " + operand(b)
    terms_tex = " + ".join(operand_tex(p) for p in products) + " + " + operand_tex(b)
    return (
        f"z({nm.node(col, j)}) = {terms} = {fmt(z)}",
        f"z_{{{nm.node_tex(col, j)}}} = {terms_tex} = {fmt_tex(z)}",
    )


def activation(name: str, nm: NodeNames, col: int, j: int, z: float, a: float) -> Text:
    """`a = f(z)` for the activation `name`, with the rule applied to the numbers."""
    label, label_tex = nm.node(col, j), nm.node_tex(col, j)
    zlabel, zlabel_tex = f"z({label})", f"z_{{{label_tex}}}"
    if name == "relu":
        return (
            f"{label} = ReLU({zlabel}) = max(0, {fmt(z)}) = {fmt(a)}",
            f"{label_tex} = \\mathrm{{ReLU}}({zlabel_tex}) = \\max(0, {fmt_tex(z)}) = {fmt_tex(a)}",
        )
    if name == "leaky_relu":
        rule = f"{fmt(z)}" if z > 0 else f"0.01 × {operand(z)}"
        rule_tex = f"{fmt_tex(z)}" if z > 0 else f"0.01 \\times {operand_tex(z)}"
        return (
            f"{label} = leakyReLU({zlabel}) = {rule} = {fmt(a)}",
            f"{label_tex} = \\mathrm{{LeakyReLU}}({zlabel_tex}) = {rule_tex} = {fmt_tex(a)}",
        )
    if name == "sigmoid":
        return (
            f"{label} = σ({zlabel}) = 1 / (1 + e^({fmt(-z)})) = {fmt(a)}",
            f"{label_tex} = \\sigma({zlabel_tex}) = \\frac{{1}}{{1 + e^{{{fmt_tex(-z)}}}}} = {fmt_tex(a)}",
        )
    if name == "tanh":
        return (
            f"{label} = tanh({zlabel}) = tanh({fmt(z)}) = {fmt(a)}",
            f"{label_tex} = \\tanh({zlabel_tex}) = \\tanh({fmt_tex(z)}) = {fmt_tex(a)}",
        )
    return f"{label} = {zlabel} = {fmt(a)}", f"{label_tex} = {zlabel_tex} = {fmt_tex(a)}"


# ---- the softmax (a classifier's output layer) -------------------------------------------
def exponential(nm: NodeNames, k: int, z: float, largest: float, e: float) -> Text:
    """e^(z − max z): the exponent shifted by the largest sum, as the stable softmax does."""
    node, node_tex = nm.node(nm.L, k), nm.node_tex(nm.L, k)
    return (
        f"e^(z({node}) − max z) = e^({fmt(z)} − {operand(largest)}) = {fmt(e)}",
        f"e^{{z_{{{node_tex}}} - \\max z}} = e^{{{fmt_tex(z)} - {operand_tex(largest)}}} "
        f"= {fmt_tex(e)}",
    )


def exp_sum(exps: Sequence[float], total: float) -> Text:
    return (
        "Σ e = " + " + ".join(fmt(e) for e in exps) + f" = {fmt(total)}",
        "\\textstyle\\sum e = " + " + ".join(fmt_tex(e) for e in exps) + f" = {fmt_tex(total)}",
    )


def probability(nm: NodeNames, k: int, e: float, total: float, p: float) -> Text:
    node, node_tex = nm.node(nm.L, k), nm.node_tex(nm.L, k)
    return (
        f"{node} = e / Σ e = {fmt(e)} / {fmt(total)} = {fmt(p)}",
        f"{node_tex} = \\frac{{{fmt_tex(e)}}}{{{fmt_tex(total)}}} = {fmt_tex(p)}",
    )


# ---- loss ---------------------------------------------------------------------------------
def log_loss(nm: NodeNames, c: int, p: float, loss: float) -> Text:
    """−ln of the probability of the true class c (natural log: the loss Network computes)."""
    node, node_tex = nm.node(nm.L, c), nm.node_tex(nm.L, c)
    return (
        f"L = −ln {node} = −ln({fmt(p)}) = {fmt(loss)}",
        f"L = -\\ln {node_tex} = -\\ln({fmt_tex(p)}) = {fmt_tex(loss)}",
    )


def binary_log_loss(nm: NodeNames, c: int, p: float, loss: float) -> Text:
    """−[y ln ŷ + (1 − y) ln(1 − ŷ)] with the class y (0 or 1) and the probability ŷ of class 1."""
    out, out_tex = nm.node(nm.L, 0), nm.node_tex(nm.L, 0)
    return (
        f"L = −[y ln {out} + (1 − y) ln(1 − {out})] = −[{c} × ln({fmt(p)}) + {1 - c} × "
        f"ln({fmt(1 - p)})] = {fmt(loss)}",
        f"L = -[y \\ln {out_tex} + (1 - y)\\ln(1 - {out_tex})] = -[{c} \\cdot \\ln({fmt_tex(p)}) "
        f"+ {1 - c} \\cdot \\ln({fmt_tex(1 - p)})] = {fmt_tex(loss)}",
    )


def mean_log_loss(terms: Sequence[float], loss: float) -> Text:
    count = len(terms)
    return (
        "CE = (" + " + ".join(fmt(t) for t in terms) + f") / {count} = {fmt(loss)}",
        f"\\mathrm{{CE}} = \\frac{{1}}{{{count}}}\\bigl("
        + " + ".join(fmt_tex(t) for t in terms)
        + f"\\bigr) = {fmt_tex(loss)}",
    )


def prediction(nm: NodeNames, j: int, pred: float) -> Text:
    return f"{nm.node(nm.L, j)} = {fmt(pred)}", f"{nm.node_tex(nm.L, j)} = {fmt_tex(pred)}"


def desired_change(nm: NodeNames, j: int, y: float, pred: float, desired: float) -> Text:
    out, out_tex = nm.node(nm.L, j), nm.node_tex(nm.L, j)
    return (
        f"Δ{out} = {nm.target(j)} − {out} = {fmt(y)} − {operand(pred)} = {fmt(desired)}",
        f"\\Delta {out_tex} = {nm.target_tex(j)} - {out_tex} = {fmt_tex(y)} - "
        f"{operand_tex(pred)} = {fmt_tex(desired)}",
    )


def mean_squared_error(diffs: Sequence[float], loss: float) -> Text:
    """Written with the desired changes the student saw: (y − ŷ)² = (ŷ − y)²."""
    squares = " + ".join(f"{operand(-d)}²" for d in diffs)
    squares_tex = " + ".join(f"{operand_tex(-d)}^2" for d in diffs)
    count = len(diffs)
    return (
        f"MSE = ({squares}) / {count} = {fmt(loss)}",
        f"\\mathrm{{MSE}} = \\frac{{1}}{{{count}}}\\bigl({squares_tex}\\bigr) = {fmt_tex(loss)}",
    )


# ---- backward -----------------------------------------------------------------------------
def output_error(nm: NodeNames, j: int, pred: float, y: float, grad: float) -> Text:
    node, node_tex = nm.node(nm.L, j), nm.node_tex(nm.L, j)
    return (
        f"∂L/∂{node} = {node} − {nm.target(j)} = {fmt(pred)} − {operand(y)} = {fmt(grad)}",
        f"{_d(node_tex)} = {node_tex} - "
        f"{nm.target_tex(j)} = {fmt_tex(pred)} - {operand_tex(y)} = {fmt_tex(grad)}",
    )


def prob_error(nm: NodeNames, j: int, p: float, y: float, delta: float) -> Text:
    """A classifier's output error: δ = p − y, the probability given minus the one wanted."""
    node, node_tex = nm.node(nm.L, j), nm.node_tex(nm.L, j)
    return (
        f"δ({node}) = {node} − {nm.target(j)} = {fmt(p)} − {operand(y)} = {fmt(delta)}",
        f"\\delta_{{{node_tex}}} = {node_tex} - {nm.target_tex(j)} = {fmt_tex(p)} - "
        f"{operand_tex(y)} = {fmt_tex(delta)}",
    )


def backprop_product(nm: NodeNames, col: int, i: int, j: int, d: float, w: float, p: float) -> Text:
    above = nm.node(col + 1, j)
    return (
        f"δ({above}) × {nm.weight(col, i, j)} = {operand(d)} × {operand(w)} = {fmt(p)}",
        f"\\delta_{{{nm.node_tex(col + 1, j)}}} \\cdot {nm.weight_tex(col, i, j)} "
        f"= {operand_tex(d)} \\cdot {operand_tex(w)} = {fmt_tex(p)}",
    )


def backprop_sum(nm: NodeNames, col: int, i: int, terms: Sequence[float], total: float) -> Text:
    node, node_tex = nm.node(col, i), nm.node_tex(col, i)
    if len(terms) == 1:
        return f"∂L/∂{node} = {fmt(total)}", f"{_d(node_tex)} = {fmt_tex(total)}"
    return (
        f"∂L/∂{node} = " + " + ".join(operand(p) for p in terms) + f" = {fmt(total)}",
        f"{_d(node_tex)} = " + " + ".join(operand_tex(p) for p in terms) + f" = {fmt_tex(total)}",
    )


# How each activation's derivative f′(z) is written: (plain text, LaTeX).
DERIVATIVE_NAMES: dict[str, Text] = {
    "relu": ("ReLU′(z)", "\\mathrm{ReLU}'(z)"),
    "leaky_relu": ("leakyReLU′(z)", "\\mathrm{LeakyReLU}'(z)"),
    "sigmoid": ("σ′(z)", "\\sigma'(z)"),
    "tanh": ("tanh′(z)", "\\tanh'(z)"),
    "linear": ("1", "1"),
}


def through_activation(
    name: str, nm: NodeNames, col: int, i: int, upstream: float, slope: float, delta: float
) -> Text:
    node, node_tex = nm.node(col, i), nm.node_tex(col, i)
    slope_name, slope_tex = DERIVATIVE_NAMES[name]
    return (
        f"δ({node}) = ∂L/∂{node} × {slope_name} = {operand(upstream)} × {operand(slope)} = {fmt(delta)}",
        f"\\delta_{{{node_tex}}} = {_d(node_tex)} "
        f"\\cdot {slope_tex} = {operand_tex(upstream)} \\cdot {operand_tex(slope)} = {fmt_tex(delta)}",
    )


def weight_gradient(
    nm: NodeNames,
    l: int,
    k: int,
    i: int,
    inputs: Sequence[float],
    deltas: Sequence[float],
    grad: float,
) -> Text:
    """∂L/∂w = input × δ, averaged over the examples of a batch."""
    wname, wtex = nm.weight(l, k, i), nm.weight_tex(l, k, i)
    node_tex, m = nm.node_tex(l + 1, i), len(inputs)
    if m == 1:
        return (
            f"∂L/∂{wname} = {nm.node(l, k)} × δ({nm.node(l + 1, i)}) = {fmt(inputs[0])} × "
            f"{operand(deltas[0])} = {fmt(grad)}",
            f"{_d(wtex)} = {nm.node_tex(l, k)} \\cdot \\delta_{{{node_tex}}} "
            f"= {fmt_tex(inputs[0])} \\cdot {operand_tex(deltas[0])} = {fmt_tex(grad)}",
        )
    return (
        f"∂L/∂{wname} = ("
        + " + ".join(f"{operand(a)} × {operand(d)}" for a, d in zip(inputs, deltas))
        + f") / {m} = {fmt(grad)}",
        f"{_d(wtex)} = \\frac{{1}}{{{m}}}\\bigl("
        + " + ".join(f"{operand_tex(a)} \\cdot {operand_tex(d)}" for a, d in zip(inputs, deltas))
        + f"\\bigr) = {fmt_tex(grad)}",
    )


def bias_gradient(nm: NodeNames, l: int, i: int, deltas: Sequence[float], grad: float) -> Text:
    """∂L/∂b = δ, averaged over the examples of a batch."""
    bname, btex, m = nm.bias(l, i), nm.bias_tex(l, i), len(deltas)
    if m == 1:
        return (
            f"∂L/∂{bname} = δ({nm.node(l + 1, i)}) = {fmt(grad)}",
            f"{_d(btex)} = \\delta_{{{nm.node_tex(l + 1, i)}}} = {fmt_tex(grad)}",
        )
    return (
        f"∂L/∂{bname} = (" + " + ".join(operand(d) for d in deltas) + f") / {m} = {fmt(grad)}",
        f"{_d(btex)} = \\frac{{1}}{{{m}}}\\bigl("
        + " + ".join(operand_tex(d) for d in deltas)
        + f"\\bigr) = {fmt_tex(grad)}",
    )


# ---- update and check ---------------------------------------------------------------------
def update(name: str, name_tex: str, old: float, lr: float, grad: float, new: float) -> Text:
    """`p ← old − lr × gradient`, the result with enough digits to show the small change."""
    digits = digits_to_show(new, lr * grad)
    return (
        f"{name} ← {fmt(old)} − {fmt(lr)} × {operand(grad)} = {fmt(new, digits)}",
        f"{name_tex} \\leftarrow {fmt_tex(old)} - {fmt_tex(lr)} "
        f"\\cdot {operand_tex(grad)} = {fmt_tex(new, digits)}",
    )


def new_prediction(nm: NodeNames, j: int, new: float, old: float, y: float) -> Text:
    return (
        f"{nm.node(nm.L, j)} = {fmt(new)} (was {fmt(old)}, target {fmt(y)})",
        f"{nm.node_tex(nm.L, j)} = {fmt_tex(new)}\\quad(\\text{{was }} {fmt_tex(old)}, "
        f"\\text{{ target }} {fmt_tex(y)})",
    )


def new_loss(new: float, old: float) -> Text:
    return (
        f"MSE = {fmt(new)} (was {fmt(old)})",
        f"\\mathrm{{MSE}} = {fmt_tex(new)}\\quad(\\text{{was }} {fmt_tex(old)})",
    )


def new_log_loss(new: float, old: float) -> Text:
    return (
        f"CE = {fmt(new)} (was {fmt(old)})",
        f"\\mathrm{{CE}} = {fmt_tex(new)}\\quad(\\text{{was }} {fmt_tex(old)})",
    )
