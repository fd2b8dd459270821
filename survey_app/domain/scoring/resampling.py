"""The resampling engines of the bootstrap: simple (respondents) and two-stage (units, then respondents).

Kept apart from ``bootstrap.py`` (which plans the resamples, picks the design and turns the
resampled composites into an interval) because this is where the time goes: every engine
draws with one ``numpy.random.default_rng(seed)`` in a fixed order, so the chunking that
bounds memory (``CHUNK_CELLS``) never changes a result.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

#: Largest multiplicity matrix of one chunk, in floats (32 MB).
CHUNK_CELLS = 2**22

AUTO, RESPONDENT, UNIT, UNITS_ONLY = "auto", "respondent", "unit", "units_only"
DESIGNS = (AUTO, RESPONDENT, UNITS_ONLY)


def respondent_clusters(units: np.ndarray) -> np.ndarray:
    """Cluster label per respondent: units 0..m−1 in ascending order, then one per unit-less respondent."""
    labels = np.unique(units[units >= 0])
    groups = np.empty(len(units), dtype=np.int64)
    assigned = units >= 0
    groups[assigned] = np.searchsorted(labels, units[assigned])
    groups[~assigned] = len(labels) + np.arange(int((~assigned).sum()))
    return groups


def cluster_layout(groups: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Return (order, starts, sizes): respondents sorted by cluster (stable), and each cluster's slice."""
    order = np.argsort(groups, kind="stable")
    sizes = np.bincount(groups)
    starts = np.concatenate([[0], np.cumsum(sizes)[:-1]])
    return order, starts, sizes


def two_stage_draw(rng: np.random.Generator, starts: np.ndarray, sizes: np.ndarray,
                   within_units: bool = True) -> tuple[np.ndarray, np.ndarray]:
    """One two-stage resample: (drawn cluster per draw, positions in the cluster-sorted order).

    ``rng.integers(0, m, m)`` picks the clusters; ``rng.integers(0, highs)`` with each
    drawn cluster's size repeated that many times picks its respondents (``within_units``
    False: every respondent of a drawn cluster, once).
    """
    m = len(sizes)
    picked = rng.integers(0, m, m)
    repeat = sizes[picked]
    if within_units:
        within = rng.integers(0, np.repeat(repeat, repeat))
    else:
        within = np.arange(repeat.sum()) - np.repeat(np.cumsum(repeat) - repeat, repeat)
    return picked, np.repeat(starts[picked], repeat) + within


def segment_sums(rows: np.ndarray, sizes: np.ndarray) -> np.ndarray:
    """Return the column sums of consecutive row segments of ``sizes`` (all ≥ 1) rows each.

    A running sum and differences at the segment ends: exact here, because every entry is
    an integer (points over a common scale, denominator flags) well below 2⁵³.
    """
    running = np.cumsum(rows, axis=0)
    ends = np.cumsum(sizes) - 1
    totals = running[ends]
    totals[1:] -= running[ends[:-1]]
    return totals


def two_stage(data: np.ndarray, groups: np.ndarray, columns, resamples: int, seed: int, *,
               average_units: bool, within: bool = True) -> np.ndarray:
    """Composites of B two-stage resamples (pooled; or the mean of the drawn units' composites).

    Pooled: each resample's multiplicities fill one row of a chunk, summed by one matrix
    product as in ``resample``.  Unit means: each draw's sums from a running sum over the
    drawn rows (``segment_sums``).
    """
    rng = np.random.default_rng(seed)
    order, starts, sizes = cluster_layout(groups)
    n = len(data)
    out = np.empty(resamples)
    if average_units:
        for b in range(resamples):
            picked, positions = two_stage_draw(rng, starts, sizes, within)
            per_draw = columns.composite(segment_sums(data[order[positions]], sizes[picked]))
            kept = per_draw[~np.isnan(per_draw)]
            out[b] = float(kept.mean()) if len(kept) else np.nan
        return out
    chunk = max(1, min(resamples, CHUNK_CELLS // max(n, 1)))
    weights = np.empty((chunk, n))
    for start in range(0, resamples, chunk):
        size = min(chunk, resamples - start)
        for row in range(size):
            _, positions = two_stage_draw(rng, starts, sizes, within)
            weights[row] = np.bincount(order[positions], minlength=n)
        out[start : start + size] = columns.composite(weights[:size] @ data)
    return out


def simple(data: np.ndarray, groups: np.ndarray | None, columns, resamples: int, seed: int) -> np.ndarray:
    """Composites of B simple respondent resamples (``groups``: average the units' composites)."""
    if groups is None:
        return resample(data, columns.composite, resamples, seed)
    rng = np.random.default_rng(seed)
    order, _, sizes = cluster_layout(groups)
    sorted_data = data[order]
    n = len(data)
    out = np.empty(resamples)
    for b in range(resamples):
        weights = np.bincount(rng.integers(0, n, n), minlength=n)[order]
        per_unit = columns.composite(segment_sums(sorted_data * weights[:, None], sizes))
        # A unit none of whose respondents was drawn has no composite (NaN) that time.
        values = per_unit[~np.isnan(per_unit)]
        out[b] = float(values.mean()) if len(values) else np.nan
    return out


def resample(
    values: np.ndarray,
    statistic: Callable[[np.ndarray], np.ndarray],
    resamples: int,
    seed: int,
) -> np.ndarray:
    """Return ``statistic(W @ values)`` for B multiplicity vectors W (NaN: no value).

    Multiplicities of one resample: ``bincount(rng.integers(0, n, n))``,
    drawn resample after resample, so the chunk size cannot change results.
    """
    rng = np.random.default_rng(seed)
    n = values.shape[0]
    chunk = max(1, min(resamples, CHUNK_CELLS // n))
    weights = np.empty((chunk, n))
    out = np.empty(resamples)
    for start in range(0, resamples, chunk):
        size = min(chunk, resamples - start)
        for row in range(size):
            weights[row] = np.bincount(rng.integers(0, n, n), minlength=n)
        out[start : start + size] = statistic(weights[:size] @ values)
    return out
