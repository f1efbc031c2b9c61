"""Where the neuron maps' thumbnails go and what colour their pixels are, without Qt.

The neuron-maps view (`app.widgets.neuron_maps`) draws every neuron of every layer as a
small square thumbnail. This module decides the geometry and the colours, so that it can
be tested without a display:

- `tile_grid(n)`: a layer of n neurons as a near-square block, e.g. 8 × 8 for 64, 1 × 1
  for one output, 23 × 23 for 512 (the Train tab's widest layer);
- `arrange(sizes, width, height)`: the blocks side by side, wrapped onto more lines when
  that makes the thumbnails larger, with room for a label above each block. A layer of few
  neurons gets larger thumbnails (`Block.scale`), so that the output's single map, which
  is the prediction itself, is as large as a 64-neuron block and not one tiny square. It
  returns an
  `Arrangement` that says where every thumbnail is (`tile_rect`) and which one is under a
  pixel (`tile_at`);
- `colour_tiles(maps, limit, lut, dead, dead_rgb)`: one layer's maps as ONE RGB image, its
  thumbnails tiled like the block, each value coloured through a diverging look-up table
  on the symmetric scale −limit … +limit; a dead neuron's thumbnail is a flat grey;
  `colour_layers(maps, lut, dead_rgb)` does it for every layer (in any thread or process).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

GAP = 2  # pixels between two thumbnails of a block
BLOCK_GAP = 14  # pixels between two layers' blocks
LABEL_HEIGHT = 34  # pixels above a block for its two-line label
MIN_TILE = 4  # a thumbnail is never drawn smaller than this (a 512-wide layer in a small window)


def tile_grid(n: int) -> tuple[int, int]:
    """(rows, columns) of a near-square block of n thumbnails, columns ≥ rows."""
    cols = max(1, math.ceil(math.sqrt(n)))
    return max(1, math.ceil(n / cols)), cols


@dataclass(frozen=True)
class Block:
    """One layer's block: top-left corner of its first thumbnail, its rows and columns."""

    x: int
    y: int
    rows: int
    cols: int
    n: int  # thumbnails in it (the last row may be short)
    scale: int = 1  # its thumbnails span scale × scale thumbnails of the widest layers


@dataclass(frozen=True)
class Arrangement:
    """Every layer's block and the thumbnails' size (pixels, a square)."""

    tile: int
    blocks: tuple[Block, ...]
    width: int  # the pixels it needs
    height: int

    def tile_rect(self, layer: int, neuron: int) -> tuple[int, int, int, int]:
        """(x, y, width, height) of a thumbnail, in the view's pixels."""
        b = self.blocks[layer]
        row, col = divmod(neuron, b.cols)
        step = b.scale * (self.tile + GAP)
        side = step - GAP
        return b.x + col * step, b.y + row * step, side, side

    def block_width(self, layer: int) -> int:
        b = self.blocks[layer]
        return b.cols * b.scale * (self.tile + GAP) - GAP

    def tile_at(self, x: float, y: float) -> tuple[int, int] | None:
        """(layer, neuron) of the thumbnail under the pixel (x, y), or None (a gap, a label)."""
        for k, b in enumerate(self.blocks):
            step = b.scale * (self.tile + GAP)
            col, dx = divmod(x - b.x, step)
            row, dy = divmod(y - b.y, step)
            if (
                not (0 <= col < b.cols and 0 <= row < b.rows)
                or dx >= step - GAP
                or dy >= step - GAP
            ):
                continue
            neuron = int(row) * b.cols + int(col)
            if neuron < b.n:
                return k, neuron
        return None


def _lines(n_blocks: int, n_lines: int) -> list[range]:
    """Split the blocks, in order, over `n_lines` lines of about equal count."""
    per_line = math.ceil(n_blocks / n_lines)
    return [range(s, min(s + per_line, n_blocks)) for s in range(0, n_blocks, per_line)]


def _fit(grids: list[tuple[int, int]], lines: list[range], width: int, height: int) -> int:
    """The largest thumbnail size (pixels) with which these lines fit width × height."""
    best = math.inf
    line_heights = []
    for line in lines:
        cols = sum(grids[k][1] for k in line)
        gaps = sum(grids[k][1] - 1 for k in line) * GAP + (len(line) - 1) * BLOCK_GAP
        best = min(best, (width - gaps) / cols)
        line_heights.append(max(grids[k][0] for k in line))
    rows = sum(line_heights)
    row_gaps = sum((r - 1) * GAP for r in line_heights) + len(lines) * LABEL_HEIGHT
    row_gaps += (len(lines) - 1) * BLOCK_GAP
    best = min(best, (height - row_gaps) / rows)
    return int(best)


def arrange(sizes: Sequence[int], width: int, height: int) -> Arrangement:
    """Blocks for layers of `sizes` neurons in a width × height view: on one line, or
    wrapped onto as many lines as make the thumbnails largest; centred in the view."""
    shapes = [tile_grid(n) for n in sizes]
    if not shapes:
        return Arrangement(MIN_TILE, (), 0, 0)
    tallest = max(rows for rows, _ in shapes)
    scales = [max(1, tallest // rows) for rows, _ in shapes]
    # in units of the widest layers' thumbnails
    grids = [(rows * k, cols * k) for (rows, cols), k in zip(shapes, scales)]
    options = [_lines(len(grids), k) for k in range(1, len(grids) + 1)]
    lines = max(options, key=lambda ls: _fit(grids, ls, width, height))  # first on a tie
    tile = max(MIN_TILE, _fit(grids, lines, width, height))
    step = tile + GAP
    blocks: list[Block] = []
    line_sizes = []
    for line in lines:
        w = sum(grids[k][1] * step - GAP for k in line) + (len(line) - 1) * BLOCK_GAP
        h = max(grids[k][0] for k in line) * step - GAP
        line_sizes.append((w, h))
    total_h = sum(h + LABEL_HEIGHT for _, h in line_sizes) + (len(lines) - 1) * BLOCK_GAP
    total_w = max(w for w, _ in line_sizes)
    y = max(0, (height - total_h) // 2)
    for line, (w, h) in zip(lines, line_sizes):
        x = max(0, (width - w) // 2)
        top = y + LABEL_HEIGHT
        for k in line:
            rows, cols = shapes[k]
            block_h = grids[k][0] * step - GAP
            block = Block(x, top + (h - block_h) // 2, rows, cols, int(sizes[k]), scales[k])
            blocks.append(block)
            x += grids[k][1] * step - GAP + BLOCK_GAP
        y += LABEL_HEIGHT + h + BLOCK_GAP
    return Arrangement(tile, tuple(blocks), total_w, total_h)


def colour_indices(values: np.ndarray, limit: float) -> np.ndarray:
    """Values on the scale −limit … +limit as look-up-table rows 0 … 255 (0 at 127.5)."""
    scaled = values * (127.5 / limit)  # a new array: the rest works in place
    scaled += 127.5
    np.copyto(scaled, 127.5, where=np.isnan(scaled))  # a value that is not a number: "zero"
    np.minimum(scaled, 255, out=scaled)  # what np.clip does, without its wrapper's cost
    np.maximum(scaled, 0, out=scaled)
    return scaled.astype(np.uint8)


def packed_lut(lut: np.ndarray) -> np.ndarray:
    """A (256, 3) uint8 RGB table as (256,) uint32 pixels 0xFFRRGGBB (Qt's RGB32 layout):
    looking one 4-byte pixel up per value is three times faster than three bytes."""
    rgb = lut.astype(np.uint32)
    return (0xFF000000 | (rgb[:, 0] << 16) | (rgb[:, 1] << 8) | rgb[:, 2]).astype(np.uint32)


def colour_tiles(
    maps: np.ndarray,
    limit: float,
    lut: np.ndarray,
    dead: np.ndarray,
    dead_colour,
) -> np.ndarray:
    """One layer's maps (n, g, g) as one image (rows·g, cols·g, ...) of `lut`'s pixels, the
    thumbnails tiled row by row like `tile_grid(n)`, each turned upside down so that high
    y is at the top, as on the prediction map (a map's row 0 is the lowest y). `lut` is
    (256, 3) uint8 RGB (the image is then (h, w, 3)) or (256,) packed pixels from
    `packed_lut` (the image is (h, w)); `dead_colour` is one pixel of the same kind."""
    n, g, _ = maps.shape
    rows, cols = tile_grid(n)
    # Tile the one-byte colour indices first and look the pixels up once, into the final
    # image: moving 4-byte pixels around (pad, transpose) cost as much as colouring them.
    # Two more table rows: 256 for a dead neuron's grey, 257 for an empty slot (all zero).
    table = np.concatenate([lut, np.asarray(dead_colour, lut.dtype)[None], np.zeros_like(lut[:1])])
    indices = np.full((rows * cols, g, g), 257, np.uint16)
    indices[:n] = colour_indices(maps[:, ::-1, :], limit)  # top = high y
    indices[:n][np.asarray(dead, bool)] = 256
    # (rows, cols, g, g) -> (rows, g, cols, g): thumbnail rows next to each other
    tiled = indices.reshape(rows, cols, g, g).transpose(0, 2, 1, 3).reshape(rows * g, cols * g)
    return table[tiled]


def colour_layers(maps, lut: np.ndarray, dead_colour) -> list[np.ndarray]:
    """Every layer of `maps` (an `nncore.neuron_maps.NeuronMaps`) coloured by `colour_tiles`
    on its own scale: the images the neuron-maps view draws, computable in any thread or
    process (`NeuronMapsView.colour_table()` gives `lut` and `dead_colour`)."""
    return [
        colour_tiles(layer.maps, layer.limit, lut, layer.dead, dead_colour) for layer in maps.layers
    ]


__all__ = [
    "GAP",
    "BLOCK_GAP",
    "LABEL_HEIGHT",
    "Block",
    "Arrangement",
    "tile_grid",
    "arrange",
    "colour_indices",
    "colour_layers",
    "colour_tiles",
    "packed_lut",
]
