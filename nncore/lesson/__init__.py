"""The step-by-step lesson engine (being split into modules)."""

from .engine import *  # noqa: F403
from .engine import fmt, render
