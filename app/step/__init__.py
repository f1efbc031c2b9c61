"""The "Step through" tab: one training iteration, one elementary operation per click.

- `tab`: `StepThroughTab`, which composes the parts below and handles the keys;
- `controls`: the lesson's settings row and the player (buttons, slider, speed, step size);
- `panels`: the side column (explanation, inspector, timeline); `loss_chart`: its chart;
- `editor`: the network editor of the custom preset;
- `focus`, `texts`, `parsing`: the tab's logic that needs no Qt (what a step highlights,
  what the tab writes, what the student types), tested without a window.

The network drawing itself is `app.widgets.network_view.NetworkView`.
"""
