"""The Train tab: a real regressor trained live on a function of two inputs.

Modules without Qt (tested without a display): `session` (data settings and prepared data,
layer sizes, the run's history, the texts about a run), `phases` (the run's phases and the
transition table between them), `pacing` (how often the live views redraw) and
`weight_files` (what the tab stores in and reads from a weight file).

Qt modules: `tab` (TrainTab, the composition), `data_panel`, `model_panel`, `run_controls`,
`banner`, `views`, `worker` (the training thread), `form` (helpers for the panels) and
`screenshots` (the states of the screenshot mode). This file imports nothing, so that
importing a Qt-free module does not load Qt.
"""
