"""WCAG 2.x contrast, checked without Qt (app.widgets.network_contrast)."""

from __future__ import annotations

import pytest

from app.widgets.network_contrast import AA_TEXT, contrast_ratio, readable, relative_luminance


def test_luminance_and_ratio_match_the_wcag_reference_values():
    assert relative_luminance("#000000") == 0.0
    assert relative_luminance("#ffffff") == pytest.approx(1.0)
    assert contrast_ratio("#000000", "#ffffff") == pytest.approx(21.0)
    assert contrast_ratio("#ffffff", "#ffffff") == pytest.approx(1.0)
    # Known values: #777777 just misses AA on white, #767676 just meets it.
    assert contrast_ratio("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)
    assert contrast_ratio("#767676", "#ffffff") == pytest.approx(4.54, abs=0.01)


@pytest.mark.parametrize(
    ("colour", "background"),
    [
        ("#c8c8c8", "#ffffff"),
        ("#f0b3d0", "#ffffff"),
        ("#4a5058", "#1e1f22"),
        ("#777777", "#777777"),
    ],
)
def test_a_pale_colour_is_made_readable_and_a_readable_one_kept(colour, background):
    fixed = readable(colour, background)
    assert contrast_ratio(fixed, background) >= AA_TEXT
    assert readable("#000000", "#ffffff") == (0.0, 0.0, 0.0)


def test_a_bad_colour_string_is_refused():
    with pytest.raises(ValueError, match="expected a colour"):
        relative_luminance("#12345")
