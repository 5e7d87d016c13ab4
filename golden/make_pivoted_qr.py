#!/usr/bin/env python3
"""Write golden/pivoted-qr.json: scipy's pivoted QR of fixed test matrices.

Run from anywhere with `python3 golden/make_pivoted_qr.py`; the output is
deterministic for a given numpy/scipy pair. src/core/linalg/pivotedQr.test.ts
reads the file and compares pivotedQr and splitAtTolerance against it.

Every case stays at min(rows, cols) <= 128, so LAPACK's dgeqp3 runs the
unblocked dlaqp2 path, which the TypeScript port mirrors step by step.
"""

import json
import pathlib

import numpy as np
import scipy
import scipy.linalg

SEED = 20250729
TOLERANCE = 1e-10
# The rank must not depend on rounding: every |R_kk| / |R_00| has to be at
# least this factor away from TOLERANCE.
RANK_MARGIN = 10.0
# Two remaining column norms closer than this (relative) count as a tie.
TIE_GAP = 1e-6
OUTPUT = pathlib.Path(__file__).with_name("pivoted-qr.json")


def tall_random(rng):
    return rng.standard_normal((120, 10))


def rank_deficient_tall(rng):
    return rng.standard_normal((150, 7)) @ rng.standard_normal((7, 12))


def exact_duplicates(rng):
    a = rng.standard_normal((80, 8))
    # Column 1 gets the largest norm so its copy ties with it at step 0,
    # where LAPACK's idamax takes the first index.
    a[:, 1] *= 4.0
    a[:, 5] = a[:, 1]
    a[:, 7] = a[:, 3]
    return a


def scaled_duplicates(rng):
    a = rng.standard_normal((90, 8))
    a[:, 6] = 2.5 * a[:, 0]
    a[:, 7] = 0.3 * a[:, 4]
    return a


def zero_column(rng):
    a = rng.standard_normal((60, 7))
    a[:, 3] = 0.0
    return a


def graded_columns(rng):
    base = rng.standard_normal((100, 10)) * np.logspace(0, -8, 10)
    # The factors 3 and 4 keep the pivot order well-determined. With factor 1,
    # the residual of base[:, 1] + base[:, 5] after base[:, 1] is chosen equals
    # that of base[:, 5], and rounding alone picks between the two.
    extra = np.column_stack([base[:, 1] + 3.0 * base[:, 5], 0.5 * base[:, 2] - 4.0 * base[:, 8]])
    return np.hstack([base, extra])


def near_dependent(rng):
    a = rng.standard_normal((80, 7))
    # Column 4 is picked first, and column 1 then keeps a residual of about
    # 1e-8 of its norm. Its downdated norm loses every digit, so its later
    # pivot position rests on dlaqp2's norm recomputation.
    a[:, 4] = 2.0 * a[:, 1] + 1e-7 * rng.standard_normal(80)
    a[:, 5] *= 0.7e-7
    a[:, 6] *= 1.4e-7
    return a


def cancelled_downdate(_rng):
    a = np.zeros((5, 3))
    a[0, 0] = 2.0
    # After step 0 the true partial norm of column 1 is 2.2e-8. Plain
    # downdating computes ||a[:, 1]|| * sqrt(1 - (1 / ||a[:, 1]||)^2) with
    # ||a[:, 1]|| = 1 + 2^-52 in float64, which is 2.107e-8. Only dlaqp2's
    # recomputation picks column 1 before column 2 (2.15e-8).
    a[0, 1] = 1.0
    a[1, 1] = 2.2e-8
    a[2, 2] = 2.15e-8
    return a


def vandermonde(_rng):
    x = np.linspace(0.0, 1.0, 40)
    return np.vander(x, 12, increasing=True)


def wide(rng):
    return rng.standard_normal((6, 10))


def small_square(rng):
    a = rng.standard_normal((5, 5))
    a[:, 4] = a[:, 0] - 2.0 * a[:, 2]
    return a


CASES = [
    tall_random,
    rank_deficient_tall,
    exact_duplicates,
    scaled_duplicates,
    zero_column,
    graded_columns,
    near_dependent,
    cancelled_downdate,
    vandermonde,
    wide,
    small_square,
]


def numerical_rank(abs_diag):
    """Applies splitAtTolerance's rule: keep k while |R_kk| > TOLERANCE * |R_00|, at least 1."""
    if abs_diag[0] == 0.0:
        return 1
    rank = len(abs_diag)
    for k, value in enumerate(abs_diag):
        if not value > TOLERANCE * abs_diag[0]:
            rank = k
            break
    return max(rank, 1)


def check_rank_margin(name, abs_diag):
    if abs_diag[0] == 0.0:
        return
    for k, value in enumerate(abs_diag):
        ratio = value / abs_diag[0]
        if ratio != 0.0 and TOLERANCE / RANK_MARGIN < ratio < TOLERANCE * RANK_MARGIN:
            raise SystemExit(f"{name}: |R_{k}{k}| / |R_00| = {ratio:.3e} is too close to the tolerance")


def pivot_gaps(r, rank):
    """Returns, per leading step k, second-largest / largest remaining column norm.

    At step k the partial norms that dlaqp2 compares are ||R[k:, j]|| for the
    columns j >= k not chosen yet, because Q is orthogonal. A gap of 1 is an
    exact tie, which idamax breaks by the lowest index.
    """
    gaps = []
    for k in range(min(rank, r.shape[1] - 1)):
        norms = np.linalg.norm(r[k:, k:], axis=0)
        runner_up = norms[1:].max()
        gaps.append(float(runner_up / norms[0]) if norms[0] > 0 else 1.0)
    return gaps


def check_ties(name, a, r, pivots, rank):
    """Rejects a case whose leading pivots rounding could reorder.

    The only tie allowed is between exact duplicate columns of A, where both
    scipy and the port keep identical partial norms and idamax takes the
    lowest index.
    """
    for k in range(min(rank, r.shape[1] - 1)):
        norms = np.linalg.norm(r[k:, k:], axis=0)
        for offset in np.flatnonzero(norms[1:] >= (1.0 - TIE_GAP) * norms[0]):
            other = pivots[k + 1 + offset]
            duplicate = np.array_equal(a[:, pivots[k]], a[:, other])
            if not (duplicate and pivots[k] < other):
                raise SystemExit(f"{name}: step {k} ties columns {pivots[k]} and {other}")


def build_case(make, rng):
    name = make.__name__
    a = np.ascontiguousarray(make(rng), dtype=np.float64)
    _q, r, pivots = scipy.linalg.qr(a, pivoting=True, mode="economic")
    abs_diag = np.abs(np.diag(r))
    check_rank_margin(name, abs_diag)
    rank = numerical_rank(abs_diag)
    check_ties(name, a, r, pivots, rank)
    rows, cols = a.shape
    coefficients = scipy.linalg.solve_triangular(r[:rank, :rank], r[:rank, rank:])
    gaps = pivot_gaps(r, rank)
    print(f"{name}: {rows}x{cols}, rank {rank}, max pivot gap {max(gaps, default=0):.6f}")
    return {
        "name": name,
        "rows": rows,
        "cols": cols,
        "a": a.ravel().tolist(),
        "pivots": pivots.tolist(),
        "absDiagR": abs_diag.tolist(),
        "rank": rank,
        "coefficients": coefficients.ravel().tolist(),
        "pivotGaps": gaps,
    }


def main():
    rng = np.random.default_rng(SEED)
    document = {
        "generator": "golden/make_pivoted_qr.py",
        "numpy": np.__version__,
        "scipy": scipy.__version__,
        "seed": SEED,
        "tolerance": TOLERANCE,
        "cases": [build_case(make, rng) for make in CASES],
    }
    OUTPUT.write_text(json.dumps(document) + "\n")
    print(f"wrote {OUTPUT}")


if __name__ == "__main__":
    main()
