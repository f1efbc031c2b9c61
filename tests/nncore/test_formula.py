"""Tests for nncore.formula: what is accepted, what is refused (and where), and the numbers."""

import ast
import inspect
import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import nncore.formula as formula_module
from nncore.formula import (
    ALLOWED_FUNCTIONS,
    MAX_DEPTH,
    MAX_EXPONENT,
    MAX_LENGTH,
    FormulaError,
    parse_formula,
)

RNG = np.random.default_rng(12)
XS = RNG.uniform(-10, 10, 300)
YS = RNG.uniform(-10, 10, 300)


# ---------------------------------------------------------------------------------------------
# Accepted formulas compute what a hand-written NumPy expression computes

ACCEPTED = [
    ("sin(x) + x*cos(y) + y + 3**(x/3)", lambda x, y: np.sin(x) + x * np.cos(y) + y + 3 ** (x / 3)),
    ("(x + y) / 2", lambda x, y: (x + y) / 2),
    ("x^2 - y^2", lambda x, y: x**2 - y**2),
    ("-x^2", lambda x, y: -(x**2)),  # maths precedence: minus after power
    ("2^x^2 / 1e30", lambda x, y: 2.0 ** (x**2) / 1e30),  # right-associative
    ("x^2*y", lambda x, y: x**2 * y),
    ("x**-2", lambda x, y: x**-2.0),
    ("x**y", lambda x, y: np.power(x, y)),  # NaN for negative x: allowed, not raised
    ("x·y − 3×x", lambda x, y: x * y - 3 * x),
    ("π*x + pi + e", lambda x, y: np.pi * x + np.pi + np.e),
    ("(x² − y²) ÷ 10 + x³", lambda x, y: (x**2 - y**2) / 10 + x**3),
    ("-x²", lambda x, y: -(x**2)),
    ("x\u00a0+\u2009y", lambda x, y: x + y),  # pasted no-break and thin spaces
    ("+x - -y", lambda x, y: x + y),
    ("--x", lambda x, y: x),
    (".5*x + 2. - 1e-3*y + 1E2", lambda x, y: 0.5 * x + 2.0 - 0.001 * y + 100.0),
    ("exp(-(x*x + y*y) / 20)", lambda x, y: np.exp(-(x * x + y * y) / 20)),
    (
        "log(abs(x) + 1) + log2(abs(y) + 1) - log10(abs(x*y) + 1)",
        lambda x, y: np.log(np.abs(x) + 1) + np.log2(np.abs(y) + 1) - np.log10(np.abs(x * y) + 1),
    ),
    ("sqrt(x*x + y*y) - hypot(x, y)", lambda x, y: np.sqrt(x * x + y * y) - np.hypot(x, y)),
    (
        "arctan2(y, x) + arctan(x) + arcsin(x/10) + arccos(y/10)",
        lambda x, y: np.arctan2(y, x) + np.arctan(x) + np.arcsin(x / 10) + np.arccos(y / 10),
    ),
    (
        "tan(x/10) + sinh(x/5) - cosh(y/5) + tanh(x*y)",
        lambda x, y: np.tan(x / 10) + np.sinh(x / 5) - np.cosh(y / 5) + np.tanh(x * y),
    ),
    ("sign(x) + floor(y) + ceil(x)", lambda x, y: np.sign(x) + np.floor(y) + np.ceil(x)),
    ("minimum(x, y) + maximum(x, 2)", lambda x, y: np.minimum(x, y) + np.maximum(x, 2)),
    ("log(x)", lambda x, y: np.log(x)),  # NaN on half the points, no error
    (f"x ** {MAX_EXPONENT:g} / 1e100", lambda x, y: x**MAX_EXPONENT / 1e100),
    ("\t x  +  y ", lambda x, y: x + y),
    ("((((x))))", lambda x, y: x),
    (" + ".join(["x"] * 100), lambda x, y: 100 * x),  # a long sum is a chain, not nesting
]


@pytest.mark.parametrize("text, expected", ACCEPTED, ids=[t for t, _ in ACCEPTED])
def test_accepted_formulas_match_numpy(text, expected):
    f = parse_formula(text)
    with np.errstate(all="ignore"):
        want = expected(XS, YS)
    got = f(XS, YS)
    assert got.shape == XS.shape and got.dtype == np.float64
    np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-12, equal_nan=True)


def test_formula_knows_its_text_and_variables():
    f = parse_formula("sin(x) + 2")
    assert f.text == "sin(x) + 2" and f.variables == {"x"}
    assert f == parse_formula("sin(x) + 2") and hash(f) == hash(parse_formula("sin(x) + 2"))
    assert f != parse_formula("sin(x)+2")
    assert parse_formula("3").variables == frozenset()
    assert "sin(x) + 2" in repr(f)


@pytest.mark.parametrize("shape", [(), (5,), (4, 3)])
def test_constants_return_an_array_of_the_inputs_shape(shape):
    z = parse_formula("2 * pi")(np.zeros(shape), np.ones(shape))
    assert isinstance(z, np.ndarray) and z.shape == shape and z.dtype == np.float64
    assert np.all(z == 2 * np.pi)


def test_inputs_are_broadcast_and_integers_become_floats():
    f = parse_formula("x / 2 + y")
    z = f(np.array([1, 2, 3]), 1)
    assert z.tolist() == [1.5, 2.0, 2.5]
    assert parse_formula("x ** -1")(np.array([2]), 0).tolist() == [0.5]  # no int-power error


def test_result_is_a_fresh_array():
    x = np.array([1.0, 2.0])
    z = parse_formula("x")(x, x)
    z[0] = 99.0
    assert x[0] == 1.0


def test_domain_problems_give_nan_or_inf_without_warnings_or_errors():
    x = np.array([-1.0, 0.0, 2.0, 800.0])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        z = parse_formula("log(x) + 1/x + arcsin(x) + sqrt(x) + exp(x) + x**0.5")(x, x)
        big = parse_formula("exp(exp(exp(x)))")(x, x)
        zero = parse_formula("0/0 + x")(x, x)
    assert (np.isnan(z[0]) and np.isinf(z[1])) or np.isnan(z[1])
    assert np.isnan(z[2])  # arcsin(2)
    assert np.isinf(big[2]) and np.all(np.isnan(zero))


# ---------------------------------------------------------------------------------------------
# Refused formulas: what, and at which (0-based) column

REFUSED = [
    # hostile input
    ("__import__('os').system('x')", 16, "'.system' is not allowed"),
    ("().__class__", 2, "'.__class__' is not allowed"),
    ("x.real", 1, "'.real' is not allowed"),
    ("x + os.system", 6, "'.system' is not allowed"),
    ("x.__class__.__bases__[0].__subclasses__()", None, "is not allowed"),
    ("lambda: 1", 0, "a lambda is not allowed"),
    ('"a"', 0, "text in quotes is not allowed"),
    ("b'1'", 0, "text in quotes is not allowed"),
    ("f'{x}'", 0, "text in quotes is not allowed"),
    ("[1][0]", 0, "indexing with [ ] is not allowed"),
    ("x[0]", 0, "indexing with [ ] is not allowed"),
    ("open('f')", 0, "the function 'open' is not allowed; available: sin, cos"),
    ("getattr(x, 'real')", 0, "the function 'getattr' is not allowed"),
    ("__builtins__", 0, "'__builtins__' is not allowed; use x, y"),
    ("os", 0, "'os' is not allowed; use x, y, numbers, pi, e"),
    ("sin(x)(y)", 0, "only named functions can be called"),
    # absurd sizes
    ("9**9**9", 3, "the exponent is too large (3.8742e+08)"),
    ("2**9**9", 3, "the exponent is too large"),
    ("x**1000", 3, "the exponent is too large (1000)"),
    ("x**-1000", 3, "the exponent is too large (-1000)"),
    ("x ** (2**10)", 6, "the exponent is too large (1024)"),
    ("x**(1/0)", 4, "the exponent is too large (too large to compute)"),
    (f"x**{MAX_EXPONENT + 0.5}", 3, "the exponent is too large"),
    ("1e999", 0, "this number is too large"),
    ("1" + "0" * 400, 0, "this number is too large"),
    ("x+" * 260, MAX_LENGTH, f"the formula is too long (520 characters; at most {MAX_LENGTH})"),
    ("x+" * 240 + "x", None, "the formula is too long (more than 250"),
    ("sin(" * (MAX_DEPTH + 5) + "x" + ")" * (MAX_DEPTH + 5), None, "nested too deeply"),
    ("-" * 100 + "x", None, "nested too deeply"),
    # other Python that is not arithmetic
    ("x < y", 0, "a comparison is not allowed"),
    ("x and y", 0, "'and' / 'or' is not allowed"),
    ("x if y else 1", 0, "'if ... else' is not allowed"),
    ("(x := 1)", 1, "':=' is not allowed"),
    ("[x]", 0, "a list [ ] is not allowed"),
    ("(x, y)", 0, "a tuple (a, b) is not allowed"),
    ("{x}", 0, "a set { } is not allowed"),
    ("{1: x}", 0, "a dict { } is not allowed"),
    ("[x for x in y]", 0, "a comprehension is not allowed"),
    ("1j", 0, "a complex number is not allowed"),
    ("True", 0, "'True' is not allowed"),
    ("None", 0, "'None' is not allowed"),
    ("x % 2", 1, "the operator '%' is not allowed"),
    ("x // 2", 1, "the operator '//' is not allowed"),
    ("x @ y", 1, "the operator '@' is not allowed"),
    ("x << 2", 1, "the operator '<<' is not allowed"),
    ("~x", 0, "'~' is not allowed"),
    ("not x", 0, "'not' is not allowed"),
    # function calls used wrongly
    ("sin(x, y)", 0, "sin takes 1 argument, got 2; write it like sin(x)"),
    ("hypot(x)", 0, "hypot takes 2 arguments, got 1; write it like hypot(x, y)"),
    ("sin()", 0, "sin takes 1 argument, got 0"),
    ("sin(x=1)", 4, "sin(...) takes no named arguments"),
    ("sin(*[x])", 4, "does not accept '*' unpacking"),
    ("sin", 0, "'sin' is a function: write sin(...)"),
    ("x(2)", 1, "'x' is not a function; write x*(...)"),
    ("ln(x)", 0, "the function 'ln' is called log here: write log(...)"),
    ("max(x, y)", 0, "the function 'max' is called maximum here"),
    ("pow(x, 2)", 0, "for powers write a^b (or a**b) instead of pow(a, b)"),
    # slips a student makes
    ("X + 1", 0, "did you mean 'x'?"),
    ("2*PI", 2, "did you mean 'pi'?"),
    ("2x + 1", 1, "write a '*' for multiplication, e.g. 2*x instead of 2x"),
    ("3.5y", 3, "3.5*y instead of 3.5y"),
    ("2(x + 1)", 1, "write a '*' for multiplication before '('"),
    ("sin x", 0, "put the argument of sin in brackets, e.g. sin(x)"),
    ("x y", 2, "put an operator between them"),
    ("(x + 1", 0, "this '(' is never closed"),
    ("sin(x))", 6, "this ')' has no matching '('"),
    ("x +", 2, "the formula ends with '+'; something must follow it"),
    ("x + * y", 4, "this is not a valid formula here"),
    ("z = x + y", 2, "type only the expression, without 'z =' or 'f(x, y) =' in front"),
    ("f(x, y) = x", 8, "type only the expression"),
    ("|x| + 1", 0, "for an absolute value |x| write abs(x)"),
    ("x | y", 1, "the operator '|' is not allowed; for an absolute value |x| write abs(x)"),
    ("", None, "the formula is empty"),
    ("   ", None, "the formula is empty"),
    ("x\ny", 1, "a formula must fit on one line"),
    ("x\x00", 1, "the character '\\x00' is not allowed"),
    # positions count the characters the user typed, also around non-ASCII and ^
    ("x·y + foo", 6, "'foo' is not allowed"),
    ("x^2 + foo", 6, "'foo' is not allowed"),
    ("π*os", 2, "'os' is not allowed"),
    ("  π*os", 4, "'os' is not allowed"),
    ("ééé.real", 3, "'.real' is not allowed"),  # é is two bytes in UTF-8, one character
    ("x² + foo", 5, "'foo' is not allowed"),
    ("x\u200b", 1, "the character '\\u200b' is not allowed"),  # zero-width space
]


@pytest.mark.parametrize(
    "text, position, message", REFUSED, ids=[repr(t[:30]) for t, *_ in REFUSED]
)
def test_refused_formulas_say_what_and_where(text, position, message):
    with pytest.raises(FormulaError) as info:
        parse_formula(text)
    err = info.value
    assert message in err.message
    assert isinstance(err, ValueError)
    if position is not None:
        assert err.position == position
        assert str(err) == f"column {position + 1}: {err.message}"
    if err.position is None:
        assert str(err) == err.message


def test_refusals_never_run_anything(tmp_path, monkeypatch):
    marker = tmp_path / "ran"
    monkeypatch.chdir(tmp_path)
    for text in [
        f"__import__('os').system('touch {marker}')",
        f"open('{marker}', 'w')",
        "__import__('pathlib').Path('ran').touch()",
    ]:
        with pytest.raises(FormulaError):
            parse_formula(text)
    assert not marker.exists()


def test_non_text_is_refused():
    with pytest.raises(TypeError, match="must be text, not int"):
        parse_formula(3)


def test_formula_error_string_form():
    assert str(FormulaError("bad", 6)) == "column 7: bad"
    assert str(FormulaError("bad")) == "bad"
    err = FormulaError("bad", 0)
    assert err.message == "bad" and err.position == 0 and err.args == ("column 1: bad",)


def test_allowed_functions_are_listed_and_all_work():
    assert {"sin", "cos", "tan", "exp", "log", "sqrt", "abs", "tanh"} <= set(ALLOWED_FUNCTIONS)
    for name in ALLOWED_FUNCTIONS:
        two = name in ("arctan2", "hypot", "minimum", "maximum")
        f = parse_formula(f"{name}(x, y)" if two else f"{name}(x)")
        z = f(np.array([0.25, 0.5]), np.array([0.75, 1.0]))
        want = getattr(np, "abs" if name == "abs" else name)(
            *([np.array([0.25, 0.5]), np.array([0.75, 1.0])] if two else [np.array([0.25, 0.5])])
        )
        np.testing.assert_array_equal(z, want)


def test_the_module_never_calls_eval_exec_or_compile():
    tree = ast.parse(inspect.getsource(formula_module))
    called = {
        node.func.id
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
    }
    assert not called & {"eval", "exec", "compile", "__import__"}


# ---------------------------------------------------------------------------------------------
# Properties


def _leaf():
    numbers = st.floats(0.1, 9.9, allow_nan=False).map(lambda v: (repr(v), lambda x, y, v=v: v))
    names = st.sampled_from(
        [("x", lambda x, y: x), ("y", lambda x, y: y), ("pi", lambda x, y: np.pi)]
    )
    return numbers | names


def _extend(children):
    ops = {"+": np.add, "-": np.subtract, "*": np.multiply, "/": np.divide}
    binary = st.tuples(children, st.sampled_from(sorted(ops)), children).map(
        lambda t: (
            f"({t[0][0]} {t[1]} {t[2][0]})",
            lambda x, y, t=t: ops[t[1]](t[0][1](x, y), t[2][1](x, y)),
        )
    )
    funcs = {"sin": np.sin, "cos": np.cos, "tanh": np.tanh, "abs": np.abs}
    unary = st.tuples(st.sampled_from(sorted(funcs)), children).map(
        lambda t: (f"{t[0]}({t[1][0]})", lambda x, y, t=t: funcs[t[0]](t[1][1](x, y)))
    )
    negate = children.map(lambda c: (f"-{c[0]}", lambda x, y, c=c: -c[1](x, y)))
    return binary | unary | negate


expressions = st.recursive(_leaf(), _extend, max_leaves=12)


@settings(max_examples=150, deadline=None)
@given(expressions)
def test_property_random_expressions_agree_with_numpy(case):
    text, reference = case
    with np.errstate(all="ignore"):
        want = np.broadcast_to(reference(XS[:20], YS[:20]), (20,))
    np.testing.assert_allclose(
        parse_formula(text)(XS[:20], YS[:20]), want, rtol=1e-12, atol=1e-12, equal_nan=True
    )


formula_alphabet = st.text(
    alphabet="xyXY0123456789.+-*/^() ,sincoexplgtaqrbh_'\"[]π·=<", max_size=40
)


@settings(max_examples=400, deadline=None)
@given(st.one_of(formula_alphabet, st.text(max_size=30)))
def test_property_any_text_either_parses_or_raises_formula_error(text):
    try:
        f = parse_formula(text)
    except FormulaError as err:
        assert err.message
        assert err.position is None or 0 <= err.position <= len(text)
        return
    z = f(XS[:5], YS[:5])
    assert z.shape == (5,) and z.dtype == np.float64


def test_the_articles_formula_typed_in_gives_the_articles_numbers_bit_for_bit():
    x, y = np.meshgrid(np.linspace(-10, 10, 100), np.linspace(-10, 10, 100))
    typed = parse_formula("sin(x) + x*cos(y) + y + 3^(x/3)")(x, y)
    assert np.array_equal(typed, np.sin(x) + x * np.cos(y) + y + 3 ** (x / 3))
