"""The Train tab: a real regressor trained live on a function of two inputs.

Modules without Qt (tested without a display): `session` (data settings and prepared data,
layer sizes, the run's history, the texts about a run), `phases` (the run's phases and the
transition table between them), `pacing` (how often the live views redraw),
`weight_files` (what the tab stores in and reads from a weight file), `limits` (the tab's
own limits: the widgets' ranges, the layers it allows, the longest history it opens, and the
checks a file must pass against them) and `reader_process` (reading a large weight file in
a child process).

Qt modules: `tab` (TrainTab, the composition), `data_panel`, `model_panel`, `run_controls`,
`banner`, `views`, `worker` (the training thread), `opening` (opening a weight file while the
window goes on drawing), `form` (helpers for the panels) and `screenshots` (the states of
the screenshot mode). `bench_open` and `bench_csv` are measurements, not part of the app
(what they share is in `bench_stalls`). This file imports nothing, so that importing a
Qt-free module does not load Qt.
"""
