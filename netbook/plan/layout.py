"""Where each person sits on the network map: a force-directed layout, fast at 2,000.

Fruchterman–Reingold in its grid form (their paper's own speed-up): every line pulls its
two people together, and people push apart only when they are near (within a few ideal
distances, found with a k-d tree) instead of every pair — O(people + links) a step, so
2,000 people and 5,000 links settle in well under the 2 s the map may take. A gentle pull
to the middle keeps separate groups in view. numpy does the sums, scipy finds the near
pairs; pure (no Qt), and deterministic for a seed, so the same book draws the same map.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
from scipy.spatial import cKDTree

__all__ = ["spring_layout"]

ITERATIONS = 120
REACH = 2.0  # people repel within this many ideal distances
GRAVITY = 0.02


def _sums(index: np.ndarray, values: np.ndarray, n: int) -> np.ndarray:
    return np.stack([np.bincount(index, values[:, 0], n), np.bincount(index, values[:, 1], n)],
                    axis=1)


def spring_layout(count: int, links: Sequence[tuple[int, int]], *, seed: int = 1,
                  iterations: int = ITERATIONS,
                  fixed: int | None = None,
                  report: Callable[[int, int], None] | None = None
                  ) -> list[tuple[float, float]]:
    """Positions for people 0 … count-1 joined by `links` (pairs of those numbers), about
    one unit apart where linked, spread over a square of side √count; `fixed` (the map's
    centre person) stays in the middle. `report(step, iterations)` is told each step:
    what it raises stops the layout (a worker's Cancel)."""
    if count <= 0:
        return []
    if count == 1:
        return [(0.0, 0.0)]
    rng = np.random.default_rng(seed)
    side = float(np.sqrt(count))
    pos = (rng.random((count, 2)) - 0.5) * side
    edges = np.array([(a, b) for a, b in links if a != b and 0 <= a < count and 0 <= b < count],
                     dtype=np.int64).reshape(-1, 2)
    k = 1.0
    step = side / 10
    cool = step / (iterations + 1)
    for n in range(iterations):
        if report is not None:
            report(n, iterations)
        pairs = cKDTree(pos).query_pairs(REACH * k, output_type="ndarray")
        disp = np.zeros_like(pos)
        if len(pairs):
            d = pos[pairs[:, 0]] - pos[pairs[:, 1]]
            dist2 = np.maximum((d * d).sum(axis=1), 1e-4)[:, None]
            push = d * (k * k / dist2)
            disp += _sums(pairs[:, 0], push, count) - _sums(pairs[:, 1], push, count)
        if len(edges):
            d = pos[edges[:, 0]] - pos[edges[:, 1]]
            pull = d * (np.sqrt((d * d).sum(axis=1))[:, None] / k)
            disp += _sums(edges[:, 1], pull, count) - _sums(edges[:, 0], pull, count)
        disp -= GRAVITY * (pos - pos.mean(axis=0))
        length = np.maximum(np.sqrt((disp * disp).sum(axis=1))[:, None], 1e-9)
        pos += disp / length * np.minimum(length, step)
        step = max(step - cool, 0.02)
        if fixed is not None and 0 <= fixed < count:
            pos -= pos[fixed]
    if fixed is None:
        pos -= pos.mean(axis=0)
    return [(float(x), float(y)) for x, y in pos]
