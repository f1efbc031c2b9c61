"""The Train tab: a real network trained live on two inputs, a regressor of a function or a
classifier of points.

Modules without Qt (tested without a display): `session` (data settings and prepared data,
layer sizes, the run's history, the texts about a run), `phases` (the run's phases and the
transition table between them), `pacing` (how often the live views redraw),
`weight_files` (what the tab stores in and reads from a weight file), `limits` (the tab's
own limits: the widgets' ranges, the layers it allows, the longest history it opens, and the
checks a file must pass against them), `reader_process` (reading a large weight file in
a child process), `lesson_settings` (the tab's settings in a lesson file), `step_handoff`
(the words of "Step through this network"), `run_names` (what tells the kept runs apart),
`sweep` (a learning-rate sweep's rates and its verdict), `drawn_points` (the points a
student draws on the map: add, erase, undo, and the data set they make), and where the
network trains: `training_mode` (a process of its own or a thread), `training_loop` (the
chunks and snapshots), `snapshot` (one moment of a run), `live_grids` (the maps a snapshot
shows, computed from its network) and `trainer_process` (the training process itself).

Qt modules: `tab` (TrainTab, the composition), `data_panel`, `model_panel`, `run_controls`,
`banner`, `views`, `neuron_maps_panel` (every neuron's map, computed only while on show),
`step_point_dialog` (which training point to take apart in Step through), `sweep_runner`
(the sweep's runs one after another, and its dialog), `process_worker` (the training
process, seen from the app) and `worker` (the training thread), `opening` (opening a weight file while the window goes on drawing), `form`
(helpers for the panels) and `screenshots` (the states of the screenshot mode). `bench_open`,
`bench_csv` and `bench_neuron_maps` are measurements, not part of the app (what the first two
share is in `bench_stalls`). This file imports nothing, so that importing a Qt-free module
does not load Qt.
"""
