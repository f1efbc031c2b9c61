"""The "Step through" tab: one training iteration, one elementary operation per click.

- `tab`: `StepThroughTab`, which composes the parts below;
- `keys`: the tab's keys, wherever the focus is in the window (one press, one action);
- `controls`: the lesson's settings row and the player (buttons, slider, speed, step size);
- `panels`: the side column (explanation, inspector, timeline); `loss_chart`: its chart;
- `editor`: the network editor of the custom preset;
- Predict mode: `predict_mode` (the flow: ask, check with the Quiz, hint, reveal),
  `predict_box` (the answer box on the drawing), `predict_panel` (toggle, choices, score);
- `slice_plot`: the loss against an inspected weight or bias (the loss slice);
- `screenshots`: the tab's states for `nn-tutor --screenshot`;
- `focus`, `texts`, `parsing`, `predict_logic`, `slice_view`, `iterations`: the tab's logic
  that needs no Qt (what a step highlights, what the tab writes, what the student types,
  what Predict mode hides and says, what the loss slice plots, many iterations at once),
  tested without a window.

The network drawing itself is `app.widgets.network_view.NetworkView`.
"""
