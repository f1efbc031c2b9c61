"""Reusable views: network drawing, contour maps, plots.

Widgets here draw NumPy arrays they are given and know nothing of the tab that shows them;
the geometry they need (e.g. `marching_squares`) lives in modules without Qt, tested without
a display. Import the module you need (`from app.widgets.contour_view import ContourView`):
this package file imports nothing, so the Qt-free modules stay Qt-free.
"""
