"""Where the network drawing's labels go: spots on a line or beside a neuron that cover nothing.

Two searches, both "try a few candidate spots in order, keep the first one that is free":

- `place_edge_labels` puts each weight's number on its line where it overlaps no neuron,
  bias or other weight label; a layer with too many weights, or a label that fits nowhere,
  is shown only while its weight takes part in the current step;
- `bubble_candidates` and `free_spot` choose where the step's result bubble goes: beside
  the weight or neuron it belongs to, covering no neuron and, if possible, no other number;
  `box_candidates_near` adds the spots a bigger box (Predict mode's answer box) may take.

The functions take rectangles and points and return positions; `NetworkView` owns the
items and moves them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from PySide6.QtCore import QPointF, QRectF

# A layer with more weights than this shows a weight's number only while it is in use:
# more labels than that turn the drawing into a wall of digits.
MAX_LABELLED_EDGES = 12
# Spots tried along a weight's line (0 = its source neuron), from near the source outwards.
EDGE_LABEL_SPOTS = (0.3, 0.42, 0.22, 0.55, 0.66, 0.36, 0.48, 0.74)

EdgePoint = Callable[[tuple, float], QPointF]  # (edge key, t along the line) -> point


def place_edge_labels(sizes, edge_labels: dict, edge_point: EdgePoint, taken: list) -> dict:
    """Move every weight label to a free spot on its line; returns edge -> "fits".

    `taken` holds the rectangles to avoid (neurons, biases); each placed label adds its own.
    A label that does not fit is parked at the middle of its line.
    """
    taken = list(taken)
    room = {}
    for key in sorted(edge_labels, key=lambda k: (k[0], k[2], k[1])):
        label = edge_labels[key]
        layer = key[0]
        placed = None
        if sizes[layer] * sizes[layer + 1] <= MAX_LABELLED_EDGES:
            plate = label.plate_rect()
            for t in EDGE_LABEL_SPOTS:
                p = edge_point(key, t)
                r = plate.translated(p).adjusted(-2, -1, 2, 1)
                if not any(r.intersects(o) for o in taken):
                    placed = (p, r)
                    break
        if placed is None:
            label.setPos(edge_point(key, 0.5))
            room[key] = False
        else:
            label.setPos(placed[0])
            taken.append(placed[1])
            room[key] = True
    return room


def bubble_candidates_on_edge(edge_point: EdgePoint, key, height: float) -> list[QPointF]:
    """Spots above and below a weight's line, nearest first."""
    candidates = []
    for lift in (1.1, 2.3, 3.5):
        for t in (0.5, 0.62, 0.38, 0.75, 0.25):
            mid = edge_point(key, t)
            candidates += [mid + QPointF(0, -height * lift), mid + QPointF(0, height * lift)]
    return candidates


def bubble_candidates_at_node(
    centre: QPointF, radius: float, caption_height: float, bias_height: float, height: float
) -> list[QPointF]:
    """Below the neuron's z/δ caption, else above its bias."""
    below = radius + caption_height + height * 0.7
    return [
        QPointF(centre.x(), centre.y() + below),
        QPointF(centre.x(), centre.y() - radius - bias_height - height * 0.8),
    ]


def box_candidates_near(
    near: QPointF, radius: float, width: float, height: float, view_rect: QRectF
) -> list[QPointF]:
    """Centres for a box of width × height: beside `near`, then anywhere, nearest first.

    A box is bigger than the result bubble, so besides the bubble's spots it tries either
    side of the item, then a grid over the whole view ordered by distance to the item.
    """
    side = radius + width / 2 + 8
    beside = [
        near + QPointF(dx, dy) for dy in (0.0, height / 2, -height / 2) for dx in (side, -side)
    ]
    grid = [
        QPointF(
            view_rect.left() + view_rect.width() * fx / 12,
            view_rect.top() + view_rect.height() * fy / 12,
        )
        for fx in range(1, 12)
        for fy in range(1, 12)
    ]
    grid.sort(key=lambda p: (p - near).manhattanLength())
    return beside + grid


def free_spot(
    rect: QRectF,
    candidates: list[QPointF],
    view_rect: QRectF,
    must_avoid: list[QRectF],
    better_avoid: Iterable[QRectF],
) -> QPointF:
    """The first candidate where `rect` stays in view and covers nothing, kept inside the view.

    First it looks for a spot that covers neither `must_avoid` nor `better_avoid`, then one
    that covers `must_avoid` only; failing both, the first candidate.
    """
    pos = candidates[0]
    for avoid in (must_avoid + list(better_avoid), must_avoid):
        free = [
            c
            for c in candidates
            if view_rect.contains(rect.translated(c))
            and not any(rect.translated(c).intersects(o) for o in avoid)
        ]
        if free:
            pos = free[0]
            break
    inside = QRectF(view_rect).adjusted(4, 4, -4, -4)
    r = rect.translated(pos)
    dx = max(0.0, inside.left() - r.left()) - max(0.0, r.right() - inside.right())
    dy = max(0.0, inside.top() - r.top()) - max(0.0, r.bottom() - inside.bottom())
    return pos + QPointF(dx, dy)
