"""Rendering lessons as Markdown, LaTeX and CSV hand-outs."""

from __future__ import annotations

import csv
import io
import shutil
import subprocess
from dataclasses import replace

import numpy as np
import pytest

from nncore.lesson import PHASES, Lesson, make_custom, make_lesson, render
from nncore.lesson.handout import (
    CSV_COLUMNS,
    PHASE_TITLES,
    parameter_name,
    render_csv,
    tex_escape,
)
from nncore.network import Network


def batch_lesson() -> Lesson:
    net = Network([2, 2, 1], activations=["tanh", "linear"], seed=4)
    return Lesson(net, batch=([[0.1, 0.3], [0.5, -0.2]], [[0.2], [0.15]]), lr=0.1)


LESSONS = {
    "perceptron": lambda: make_lesson("perceptron"),
    "article": lambda: make_lesson("article"),
    "sigmoid": lambda: make_lesson("sigmoid"),
    "custom": lambda: make_custom(
        [3, 2, 2, 2],
        ["relu", "leaky_relu", "sigmoid"],
        x=[0.1, 0.2, 0.3],
        target=[0, 1],
        lr=0.2,
        seed=2,
    ),
    "batch": batch_lesson,
}


def test_markdown_article_has_the_key_numbers_in_order():
    text = render(make_lesson("article"), "markdown")
    assert text.startswith("# The article's network") and "worked example" in text.lower()
    headings = [line for line in text.splitlines() if line.startswith("## ")]
    phase_headings = [h for h in headings if any(PHASE_TITLES[p] in h for p in PHASES)]
    assert len(phase_headings) == len(PHASES)
    for phase, heading in zip(PHASES, phase_headings):
        assert PHASE_TITLES[phase] in heading
    for needle in [
        "0.1 × 0.6",
        "= −0.46",
        "max(0, −0.46) = 0",
        "ŷ = −0.1",
        "= 0.3 |",
        "rise by 0.3",
        "∂L/∂b(ŷ) = δ(ŷ) = −0.3",
        "desired change",
        "prediction − target",
        "**0.09**",
        "w(h₃→ŷ) | 0.9 | 0 | 0.9 |",
    ]:
        assert needle in text, needle
    assert f"**{_fmt(make_lesson('article').loss_after)}**" in text


def _fmt(x):
    from nncore.formatting import fmt

    return fmt(x)


def test_markdown_table_has_one_row_per_step():
    lesson = make_lesson("sigmoid")
    text = render(lesson, "markdown")
    rows = [
        line
        for line in text.splitlines()
        if line.startswith("| ") and line.split("|")[1].strip().isdigit()
    ]
    assert [int(r.split("|")[1]) for r in rows] == list(range(1, len(lesson) + 1))
    for row, step in zip(rows, lesson.steps):
        assert step.formula in row


def _parameter_table(markdown: str, heading: str) -> list[str]:
    """First cells of the table under `heading` (the parameter names)."""
    section = markdown.split(heading, 1)[1].split("\n## ", 1)[0]
    rows = [line for line in section.splitlines() if line.startswith("| ")][1:]  # no header
    return [row.split(" | ")[0].removeprefix("| ") for row in rows]


def test_parameter_names_come_from_the_steps_structure_not_their_wording():
    # Reword every update formula, as a new notation or a translation might ("w := ..."):
    # the parameter tables must still name each weight and bias. Splitting the formula text
    # at " ← " (the old way) would put whole formulas into the name column.
    lesson = make_lesson("article")
    expected = [lesson.names.weight(*s.edges[0]) for s in lesson.steps if s.kind == "weight_update"]
    lesson.steps[:] = [
        replace(s, formula="update: " + s.formula.replace(" ← ", " := "))
        if s.kind in ("weight_update", "bias_update")
        else s
        for s in lesson.steps
    ]
    text = render(lesson, "markdown")
    for heading in ("## Starting parameters", "## Summary"):
        names = _parameter_table(text, heading)
        assert len(names) == 13, heading  # 2×3 + 3 weights into the hidden layer and output
        weights = [n for n in names if n.startswith("w(")]
        assert weights == expected
        assert [n for n in names if n.startswith("b(")] == ["b(h₁)", "b(h₂)", "b(h₃)", "b(ŷ)"]


def test_parameter_name_of_every_update_step():
    lesson = make_custom([3, 2, 2, 2], "tanh", x=[0.1, 0.2, 0.3], target=[0, 1], seed=2)
    for step in lesson.steps:
        if step.kind in ("weight_update", "bias_update"):
            assert step.formula.startswith(parameter_name(lesson, step) + " ← ")
        else:
            with pytest.raises(ValueError, match="does not move a parameter"):
                parameter_name(lesson, step)


def test_perceptron_renders_minus_point_zero_eight():
    lesson = make_lesson("perceptron")
    assert "= −0.08" in render(lesson, "markdown")
    latex = render(lesson, "latex")
    assert "= -0.08" in latex and "−" not in latex


@pytest.mark.parametrize("name", sorted(LESSONS))
def test_latex_is_a_complete_ascii_document(name):
    lesson = LESSONS[name]()
    text = render(lesson, "latex")
    assert text.isascii(), [c for c in text if not c.isascii()][:5]
    assert text.count(r"\begin{document}") == 1 and text.rstrip().endswith(r"\end{document}")
    assert text.count(r"\begin{enumerate}") == text.count(r"\end{enumerate}") == len(PHASES)
    assert text.count(r"\item \(") == len(lesson)
    depth = 0
    for ch in text.replace(r"\{", "").replace(r"\}", ""):
        depth += {"{": 1, "}": -1}.get(ch, 0)
        assert depth >= 0
    assert depth == 0
    assert text.count(r"\(") == text.count(r"\)")
    assert "$$" not in text


def test_tex_escape_handles_specials_and_symbols():
    assert tex_escape("50% & $5 #1 a_b {x}") == r"50\% \& \$5 \#1 a\_b \{x\}"
    assert (
        tex_escape("back\\slash ~ ^")
        == r"back\textbackslash{}slash \textasciitilde{} \textasciicircum{}"
    )
    assert tex_escape('say "yes"') == "say ``yes''"
    assert tex_escape("−0.3 × h²₁") == r"\(-\)0.3 \(\times\) h\(^{2}_{1}\)"
    assert tex_escape("ŷ₂") == r"\(\hat{y}_{2}\)"
    assert tex_escape("日").isascii()


@pytest.mark.skipif(shutil.which("pdflatex") is None, reason="no LaTeX installed")
def test_latex_compiles(tmp_path):
    for name in ("article", "batch"):
        path = tmp_path / f"{name}.tex"
        path.write_text(render(LESSONS[name](), "latex"))
        result = subprocess.run(
            ["pdflatex", "-interaction=nonstopmode", "-halt-on-error", path.name],
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert result.returncode == 0, result.stdout[-2000:]
        assert (tmp_path / f"{name}.pdf").stat().st_size > 1000


@pytest.mark.parametrize("name", sorted(LESSONS))
def test_csv_parses_back_one_row_per_step(name):
    lesson = LESSONS[name]()
    rows = list(csv.reader(io.StringIO(render(lesson, "csv"))))
    assert tuple(rows[0]) == CSV_COLUMNS
    body = rows[1:]
    assert len(body) == len(lesson)
    col = {c: k for k, c in enumerate(CSV_COLUMNS)}
    for row, step in zip(body, lesson.steps):
        assert int(row[col["index"]]) == step.index
        assert row[col["phase"]] == step.phase and row[col["kind"]] == step.kind
        assert row[col["layer"]] == ("" if step.layer is None else str(step.layer))
        assert row[col["neuron"]] == ("" if step.neuron is None else str(step.neuron))
        assert float(row[col["value"]]) == step.value  # full precision survives
        assert row[col["formula"]] == step.formula
        assert row[col["narration"]] == step.narration


def test_csv_keeps_full_precision_and_quotes_commas():
    lesson = make_lesson("perceptron")
    text = render_csv(lesson)
    sum_step = [s for s in lesson.steps if s.kind == "sum"][0]
    assert repr(sum_step.value) in text and repr(sum_step.value) != "-0.08"
    reader = csv.DictReader(io.StringIO(text))
    sums = [r for r in reader if r["kind"] == "sum"]
    assert float(sums[0]["value"]) == sum_step.value
    assert sums[0]["formula"].endswith("= −0.08")
    assert np.isclose(float(sums[0]["value"]), -0.08)
    # narration with commas survives quoting
    bias_row = [r for r in csv.DictReader(io.StringIO(text)) if r["kind"] == "bias"][0]
    assert "," in bias_row["narration"]


def test_batch_markdown_mentions_every_example_and_averaging():
    text = render(batch_lesson(), "markdown")
    assert "Example 1" in text and "Example 2" in text
    assert "[example 2]" in text and "averaged" in text


def test_unknown_format_is_refused():
    with pytest.raises(ValueError, match="markdown, latex, csv"):
        render(make_lesson("article"), "docx")


def test_render_is_the_function_not_a_module():
    # A submodule named `render` would replace the function on the package as soon as it
    # was imported (the CLI calls `nncore.lesson.render(lesson, fmt)`): hence `handout`.
    import nncore
    import nncore.lesson
    import nncore.lesson.handout

    assert callable(nncore.lesson.render) and nncore.lesson.render is nncore.lesson.handout.render
    assert nncore.render is nncore.lesson.render
    assert nncore.lesson.render_markdown(make_lesson("article")) == render(
        make_lesson("article"), "md"
    )
