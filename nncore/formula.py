"""Safe formulas in x and y, typed by a student, turned into NumPy functions.

A student can type their own target function, such as `sin(x) * y / 2` or `x^2 - y^2`, and
train a network on it. The text is never run as Python. It is parsed with Python's `ast`
module into a syntax tree, every node of that tree is checked against a short whitelist
(numbers, the variables x and y, the constants pi and e, + - * / ** and a few named NumPy
functions), and the checked tree is turned into a tree of small closures that call NumPy.
Anything outside the whitelist is refused with a `FormulaError` that says what is wrong and
at which column, so the app can point at it.

Evaluating a valid formula never raises for mathematical reasons: `log(-1)` or `1/0` give
NaN or inf (NumPy's warnings are silenced) and the dataset builders in `nncore.data` report
where that happens.

Small conveniences for people who write maths rather than Python: `^` means power (with the
usual precedence, so `-x^2` is -(x²) and `2^x^2` is 2^(x²)), `x²` and `x³` are squares and
cubes, and `·`, `×`, `÷`, `−` and `π` may be used for *, *, /, - and pi.
"""

from __future__ import annotations

import ast
import re
import warnings
from collections.abc import Callable
from typing import NoReturn

import numpy as np

from .errors import FormulaError

__all__ = [
    "ALLOWED_FUNCTIONS",
    "CONSTANTS",
    "VARIABLES",
    "FormulaError",
    "Formula",
    "parse_formula",
    "MAX_LENGTH",
    "MAX_DEPTH",
    "MAX_NODES",
    "MAX_EXPONENT",
]

# One-argument functions: name -> NumPy ufunc.
_UNARY_FUNCTIONS: dict[str, Callable] = {
    "sin": np.sin,
    "cos": np.cos,
    "tan": np.tan,
    "arcsin": np.arcsin,
    "arccos": np.arccos,
    "arctan": np.arctan,
    "sinh": np.sinh,
    "cosh": np.cosh,
    "tanh": np.tanh,
    "exp": np.exp,
    "log": np.log,
    "log2": np.log2,
    "log10": np.log10,
    "sqrt": np.sqrt,
    "abs": np.abs,
    "sign": np.sign,
    "floor": np.floor,
    "ceil": np.ceil,
}
# Two-argument functions.
_BINARY_FUNCTIONS: dict[str, Callable] = {
    "arctan2": np.arctan2,
    "hypot": np.hypot,
    "minimum": np.minimum,
    "maximum": np.maximum,
}
ALLOWED_FUNCTIONS: tuple[str, ...] = tuple(_UNARY_FUNCTIONS) + tuple(_BINARY_FUNCTIONS)
CONSTANTS: dict[str, float] = {"pi": float(np.pi), "e": float(np.e)}
VARIABLES: tuple[str, ...] = ("x", "y")

MAX_LENGTH = 500  # characters of formula text
MAX_DEPTH = 40  # nesting levels of the syntax tree (a chain a + b + c + ... is one)
MAX_NODES = 250  # operations, numbers and names in total
MAX_EXPONENT = 100.0  # largest |exponent| allowed when the exponent is a fixed number

_OPERATORS = {
    ast.Add: ("+", np.add),
    ast.Sub: ("-", np.subtract),
    ast.Mult: ("*", np.multiply),
    ast.Div: ("/", np.true_divide),
    ast.Pow: ("**", np.power),
}
_FORBIDDEN_OPERATORS = {
    ast.Mod: "%",
    ast.FloorDiv: "//",
    ast.MatMult: "@",
    ast.LShift: "<<",
    ast.RShift: ">>",
    ast.BitOr: "|",
    ast.BitAnd: "&",
    ast.BitXor: "^",
}
# Characters people write in maths, and what they mean here.
_REWRITES = {
    "^": "**",
    "²": "**2",
    "³": "**3",
    "·": "*",
    "×": "*",
    "⋅": "*",
    "÷": "/",
    "−": "-",
    "π": "pi",
    "\u00a0": " ",
    "\u2009": " ",
    "\u202f": " ",  # no-break and thin spaces
}

# Names from other languages or calculators, and what to write here instead.
_SUGGESTIONS = {
    "ln": "log",
    "asin": "arcsin",
    "acos": "arccos",
    "atan": "arctan",
    "atan2": "arctan2",
    "min": "minimum",
    "max": "maximum",
    "fabs": "abs",
    "absolute": "abs",
    "sgn": "sign",
}

_WHAT_IS_ALLOWED = "use x, y, numbers, pi, e, + - * / ^ and functions such as sin(x)"

_NODE_NAMES = {  # what the student wrote, in words; each reads "... is not allowed"
    ast.Subscript: "indexing with [ ]",
    ast.Slice: "a slice",
    ast.List: "a list [ ]",
    ast.Tuple: "a tuple (a, b)",
    ast.Set: "a set { }",
    ast.Dict: "a dict { }",
    ast.Lambda: "a lambda",
    ast.Compare: "a comparison",
    ast.BoolOp: "'and' / 'or'",
    ast.IfExp: "'if ... else'",
    ast.NamedExpr: "':='",
    ast.Starred: "'*' unpacking",
    ast.ListComp: "a comprehension",
    ast.SetComp: "a comprehension",
    ast.DictComp: "a comprehension",
    ast.GeneratorExp: "a generator expression",
    ast.JoinedStr: "text in quotes",
    ast.FormattedValue: "text in quotes",
    ast.Await: "'await'",
    ast.Yield: "'yield'",
    ast.YieldFrom: "'yield'",
}


class Formula:
    """A checked formula: call it with arrays x and y to get z (same shape, float64)."""

    def __init__(self, text: str, evaluate: Callable, variables: frozenset[str]):
        self.text = text
        self.variables = variables  # which of x, y the formula uses
        self._evaluate = evaluate

    def __call__(self, x, y) -> np.ndarray:
        x, y = np.broadcast_arrays(np.asarray(x, dtype=np.float64), np.asarray(y, dtype=np.float64))
        with np.errstate(all="ignore"):
            z = self._evaluate(x, y)
        return np.array(np.broadcast_to(z, x.shape), dtype=np.float64)

    def __repr__(self) -> str:
        return f"Formula({self.text!r})"

    # Two formulas are the same function when they were typed the same way.
    def __eq__(self, other) -> bool:
        return isinstance(other, Formula) and other.text == self.text

    def __hash__(self) -> int:
        return hash(("Formula", self.text))


def parse_formula(text: str) -> Formula:
    """Check `text` against the whitelist and return it as a vectorised function of x and y.

    Raises FormulaError (an NNCoreError and ValueError) naming the problem and its column,
    and TypeError when `text` is not a string at all.
    """
    if not isinstance(text, str):
        raise TypeError(f"a formula must be text, not {type(text).__name__}")
    if len(text) > MAX_LENGTH:
        raise FormulaError(
            f"the formula is too long ({len(text)} characters; at most {MAX_LENGTH})", MAX_LENGTH
        )
    if not text.strip():
        raise FormulaError("the formula is empty; type an expression in x and y, e.g. sin(x) + y")
    source, origin = _rewrite(text)
    # Python would read leading blanks as indentation; they mean nothing in a formula.
    indent = len(source) - len(source.lstrip(" \t"))
    source, origin = source[indent:], origin[indent:]
    tree = _parse(text, source, origin)
    checker = _Builder(source, origin)
    evaluate = checker.build(tree.body, depth=0)
    return Formula(text, evaluate, frozenset(checker.variables))


# ---------------------------------------------------------------------------------------------
# Text -> syntax tree


def _rewrite(text: str) -> tuple[str, list[int]]:
    """Apply `_REWRITES`; `origin[i]` is the column in `text` of character i of the result."""
    chars: list[str] = []
    origin: list[int] = []
    for column, char in enumerate(text):
        replacement = _REWRITES.get(char, char)
        chars.append(replacement)
        origin.extend([column] * len(replacement))
    origin.append(len(text))  # one past the end, for errors at the end of the text
    return "".join(chars), origin


def _parse(text: str, source: str, origin: list[int]) -> ast.Expression:
    for column, char in enumerate(text):
        if char in "\n\r":
            raise FormulaError("a formula must fit on one line", column)
        if not char.isprintable() and char != "\t" and char not in _REWRITES:
            raise FormulaError(f"the character {char!r} is not allowed", column)
    try:
        with warnings.catch_warnings():
            # e.g. "2(x)" makes Python warn "'int' object is not callable"; we explain it ourselves.
            warnings.simplefilter("ignore")
            return ast.parse(source, mode="eval")
    except SyntaxError as err:
        where: int | None = None
        if err.offset is not None:
            # SyntaxError offsets are 1-based characters of the (single) line.
            where = origin[min(max(err.offset - 1, 0), len(origin) - 1)]
        message, better_column = _explain_syntax_error(text, err)
        raise FormulaError(message, where if better_column is None else better_column) from None
    except (ValueError, RecursionError, MemoryError):
        raise FormulaError("the formula could not be read; " + _WHAT_IS_ALLOWED) from None


def _explain_syntax_error(text: str, err: SyntaxError) -> tuple[str, int | None]:
    """A plain-words reason for a syntax error, and a better column when we know one."""
    equals = re.search(r"(?<![=<>!])=(?!=)", text)
    if equals:
        return (
            "type only the expression, without 'z =' or 'f(x, y) =' in front, e.g. x^2 + y"
        ), equals.start()
    if "|" in text:
        return "for an absolute value |x| write abs(x)", text.index("|")
    open_brackets: list[int] = []
    for column, char in enumerate(text):
        if char == "(":
            open_brackets.append(column)
        elif char == ")":
            if not open_brackets:
                return "this ')' has no matching '('", column
            open_brackets.pop()
    if open_brackets:
        return "this '(' is never closed: a ')' is missing", open_brackets[-1]
    stripped = text.rstrip()
    if stripped and stripped[-1] in "+-*/^·×÷−":
        return f"the formula ends with '{stripped[-1]}'; something must follow it", len(
            stripped
        ) - 1
    for name in ALLOWED_FUNCTIONS:
        match = re.search(rf"\b{name}\s+[\w.]", text)
        if match:
            return f"put the argument of {name} in brackets, e.g. {name}(x)", match.start()
    match = re.search(r"(?<![\w.])(\d+\.?\d*(?:[eE][-+]?\d+)?)([a-zA-Z(])", text)
    if match:
        number, after = match.groups()
        return (
            f"write a '*' for multiplication, e.g. {number}*{after} instead of {number}{after}",
            match.start(2),
        )
    match = re.search(r"[\w.)]\s+([\w(])", text)
    if match or "forgot a comma" in (err.msg or ""):
        return (
            "two values stand side by side; put an operator between them, e.g. x*y",
            match.start(1) if match else None,
        )
    return "this is not a valid formula here; " + _WHAT_IS_ALLOWED, None


# ---------------------------------------------------------------------------------------------
# Syntax tree -> checked closure tree


def _level(op: ast.operator) -> int:
    """Precedence level of an arithmetic operator: 0 for + -, 1 for * /, 2 for **."""
    return {ast.Add: 0, ast.Sub: 0, ast.Mult: 1, ast.Div: 1}.get(type(op), 2)


class _Builder:
    """Walks the syntax tree once, refusing anything off the whitelist, building closures."""

    def __init__(self, source: str, origin: list[int]):
        self.source = source
        self.origin = origin
        self.variables: set[str] = set()
        self.nodes = 0

    # Positions: ast gives UTF-8 byte offsets; the user counts characters of what they typed.
    def column(self, node: ast.AST | None, end: bool = False) -> int | None:
        offset = getattr(node, "end_col_offset" if end else "col_offset", None)
        if offset is None:
            return None
        char_index = len(self.source.encode("utf-8")[:offset].decode("utf-8", errors="ignore"))
        return self.origin[min(char_index, len(self.origin) - 1)]

    def fail(self, message: str, node: ast.AST | None, end: bool = False) -> NoReturn:
        raise FormulaError(message, self.column(node, end))

    def build(self, node: ast.AST, depth: int) -> Callable:
        self.nodes += 1
        if self.nodes > MAX_NODES:
            self.fail(
                f"the formula is too long (more than {MAX_NODES} numbers, names and operations)",
                node,
            )
        if depth > MAX_DEPTH:
            self.fail(f"the formula is nested too deeply (more than {MAX_DEPTH} levels)", node)
        method = getattr(self, "_" + type(node).__name__, None)
        if method is None:
            self._refuse(node)
        return method(node, depth)

    def _refuse(self, node: ast.AST) -> NoReturn:
        if isinstance(node, ast.Attribute):
            self.fail(
                f"'.{node.attr}' is not allowed: attributes (a dot after a value) are not "
                f"part of formulas; {_WHAT_IS_ALLOWED}",
                node.value,
                end=True,
            )
        what = _NODE_NAMES.get(type(node), f"'{type(node).__name__}'")
        self.fail(f"{what} is not allowed in a formula; {_WHAT_IS_ALLOWED}", node)

    # Leaves ----------------------------------------------------------------------------------
    def _Constant(self, node: ast.Constant, depth: int) -> Callable:
        value = node.value
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            kind = {
                str: "text in quotes",
                bytes: "text in quotes",
                complex: "a complex number",
            }.get(type(value), f"'{value!r}'")
            self.fail(f"{kind} is not allowed in a formula; {_WHAT_IS_ALLOWED}", node)
        try:
            number = float(value)
        except OverflowError:
            number = float("inf")
        if not np.isfinite(number):
            self.fail("this number is too large", node)
        constant = np.float64(number)
        return lambda x, y: constant

    def _Name(self, node: ast.Name, depth: int) -> Callable:
        name = node.id
        if name == "x":
            self.variables.add("x")
            return lambda x, y: x
        if name == "y":
            self.variables.add("y")
            return lambda x, y: y
        if name in CONSTANTS:
            constant = np.float64(CONSTANTS[name])
            return lambda x, y: constant
        if name in ALLOWED_FUNCTIONS:
            self.fail(
                f"'{name}' is a function: write {name}(...) with its argument in brackets", node
            )
        if name.lower() in VARIABLES or name.lower() in CONSTANTS:
            self.fail(
                f"'{name}' is not allowed; did you mean '{name.lower()}'? Names are lower case",
                node,
            )
        self.fail(f"'{name}' is not allowed; {_WHAT_IS_ALLOWED}", node)

    # Operations ------------------------------------------------------------------------------
    def _UnaryOp(self, node: ast.UnaryOp, depth: int) -> Callable:
        operand = self.build(node.operand, depth + 1)
        if isinstance(node.op, ast.USub):
            return lambda x, y: np.negative(operand(x, y))
        if isinstance(node.op, ast.UAdd):
            return operand
        symbol = {ast.Not: "'not'", ast.Invert: "'~'"}.get(type(node.op), "this operator")
        self.fail(f"{symbol} is not allowed; {_WHAT_IS_ALLOWED}", node)

    def _BinOp(self, node: ast.BinOp, depth: int) -> Callable:
        op_type = type(node.op)
        if op_type not in _OPERATORS:
            symbol = _FORBIDDEN_OPERATORS.get(op_type, type(node.op).__name__)
            hint = "for an absolute value |x| write abs(x)" if symbol == "|" else _WHAT_IS_ALLOWED
            self.fail(f"the operator '{symbol}' is not allowed; {hint}", node.left, end=True)
        # A long sum a + b + c + ... is a chain, not nesting: only the right side goes deeper.
        same_level = isinstance(node.left, ast.BinOp) and _level(node.left.op) == _level(node.op)
        left = self.build(node.left, depth if same_level else depth + 1)
        right = self.build(node.right, depth + 1)
        if op_type is ast.Pow:
            self._check_exponent(node.right, right)
        ufunc = _OPERATORS[op_type][1]
        return lambda x, y: ufunc(left(x, y), right(x, y))

    def _check_exponent(self, node: ast.AST, exponent: Callable):
        """A fixed exponent must be modest: x**1000 or 9**9**9 are refused, not computed."""
        if self._uses_variables(node):
            return  # e.g. 2**x: large values overflow to inf and are reported with the data
        with np.errstate(all="ignore"):
            value = float(exponent(np.float64(0.0), np.float64(0.0)))
        if not abs(value) <= MAX_EXPONENT:  # also catches NaN
            shown = f"{value:.6g}" if np.isfinite(value) else "too large to compute"
            self.fail(
                f"the exponent is too large ({shown}); use exponents between "
                f"-{MAX_EXPONENT:g} and {MAX_EXPONENT:g}",
                node,
            )

    @staticmethod
    def _uses_variables(node: ast.AST) -> bool:
        return any(isinstance(n, ast.Name) and n.id in VARIABLES for n in ast.walk(node))

    def _Call(self, node: ast.Call, depth: int) -> Callable:
        if not isinstance(node.func, ast.Name):
            if isinstance(node.func, ast.Attribute):
                self._refuse(node.func)
            if isinstance(node.func, ast.Constant) and isinstance(node.func.value, (int, float)):
                self.fail(
                    "write a '*' for multiplication before '(', e.g. 2*(x + 1)", node.func, end=True
                )
            self.fail(
                f"only named functions can be called, e.g. sin(x); {_WHAT_IS_ALLOWED}", node.func
            )
        name = node.func.id
        if name in VARIABLES or name in CONSTANTS:
            self.fail(
                f"'{name}' is not a function; write {name}*(...) to multiply", node.func, end=True
            )
        if name in _SUGGESTIONS:
            better = _SUGGESTIONS[name]
            self.fail(
                f"the function '{name}' is called {better} here: write {better}(...)", node.func
            )
        if name in ("pow", "power"):
            self.fail(f"for powers write a^b (or a**b) instead of {name}(a, b)", node.func)
        if name not in ALLOWED_FUNCTIONS:
            hint = ", ".join(ALLOWED_FUNCTIONS)
            self.fail(f"the function '{name}' is not allowed; available: {hint}", node.func)
        if node.keywords:
            keyword = node.keywords[0]
            self.fail(f"{name}(...) takes no named arguments", keyword)
        for arg in node.args:
            if isinstance(arg, ast.Starred):
                self.fail(f"{name}(...) does not accept '*' unpacking", arg)
        wanted = 1 if name in _UNARY_FUNCTIONS else 2
        if len(node.args) != wanted:
            example = f"{name}(x)" if wanted == 1 else f"{name}(x, y)"
            self.fail(
                f"{name} takes {wanted} argument{'s' if wanted > 1 else ''}, "
                f"got {len(node.args)}; write it like {example}",
                node.func,
            )
        args = [self.build(arg, depth + 1) for arg in node.args]
        if wanted == 1:
            ufunc, (only,) = _UNARY_FUNCTIONS[name], args
            return lambda x, y: ufunc(only(x, y))
        ufunc2, (first, second) = _BINARY_FUNCTIONS[name], args
        return lambda x, y: ufunc2(first(x, y), second(x, y))
