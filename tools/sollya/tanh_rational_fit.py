#!/usr/bin/env python3
# The rational behind math::tanh_fast / tanh_shrink_fast (float): S(x) = x - 2 tanh(x/2) =
# x^3 d(x^2) / (1 + x^2 q(x^2)) on |x| <= 9.5, d of degree 2 (d0 = 1/12 before rounding), q of
# degree 2. Fitted in y = x/2 (S = 2 y^3 D(y^2) / Q(y^2), D(0) = 1/3) by Lawson-weighted linearised
# least squares (near-minimax), minimising the error that S passes on to the kernels:
#   tanh x = 2T / (1 + T^2), T = y - S/2:        weight 2 (1 - T^2) / (1 + T^2)^2 * (S/2) / tanh x
#   x - tanh x = (S + x T^2) / (1 + T^2):        weight 2 (1 - T^2) / (1 + T^2)^2 * (S/2) / (x - tanh x)
# and at least 2^-8, so that tanh(9.5) still rounds to 1 (2T / (1 + T^2) with T from S). Then the
# coefficients are rounded to float in the x^2 variable. tools/sollya/tanh_rational.sollya checks
# the rounded coefficients' error independently.
# Run: python3 tools/sollya/tanh_rational_fit.py   (python3-mpmath; about a minute)
from mpmath import mp, mpf, tanh, sqrt, cos, pi, matrix, qr_solve
import struct

mp.dps = 50
Y_MAX = mpf("4.75")  # x <= 9.5
ND, NQ = 2, 2         # degrees of D and Q in y^2


def g(t):  # S2(y) / y^3 = (y - tanh y) / y^3, t = y^2
    if t < mpf("1e-6"):
        return mpf(1) / 3 - 2 * t / 15 + 17 * t * t / 315
    y = sqrt(t)
    return (y - tanh(y)) / (y * t)


def weight(t):
    y = sqrt(t)
    if y < mpf("1e-3"):
        return mpf(1) / 4
    T = tanh(y)
    s2 = y - T
    damp = 2 * (1 - T * T) / (1 + T * T) ** 2 * s2
    return max(damp / tanh(2 * y), damp / (2 * y - tanh(2 * y)), mpf(2) ** -8)


def fit(npts=300, iters=60):
    ys = [(Y_MAX / 2) * (1 - cos(pi * (i + mpf(0.5)) / npts)) for i in range(npts)]
    ts = [y * y for y in ys]
    gs = [g(t) for t in ts]
    ws = [weight(t) for t in ts]
    lam = [mpf(1) / npts] * npts
    qprev = [mpf(1)] * npts
    best = None
    for _ in range(iters):
        rows, rhs = [], []
        for i, t in enumerate(ts):
            w = sqrt(lam[i]) * ws[i] / (gs[i] * qprev[i])
            rows.append([w * t**j for j in range(1, ND + 1)] + [-w * gs[i] * t**j for j in range(1, NQ + 1)])
            rhs.append(w * (gs[i] - mpf(1) / 3))
        sol, _ = qr_solve(matrix(rows), matrix(rhs))
        D = [mpf(1) / 3] + [sol[j] for j in range(ND)]
        Q = [mpf(1)] + [sol[ND + j] for j in range(NQ)]
        errs = []
        for i, t in enumerate(ts):
            dv = sum(D[j] * t**j for j in range(ND + 1))
            qv = sum(Q[j] * t**j for j in range(NQ + 1))
            errs.append((dv / qv - gs[i]) / gs[i] * ws[i])
            qprev[i] = qv
        e = max(abs(v) for v in errs)
        if best is None or e < best[0]:
            best = (e, D, Q)
        s = sum(lam[i] * abs(errs[i]) for i in range(npts))
        lam = [lam[i] * abs(errs[i]) / s for i in range(npts)]
    return best


def single(v):
    return struct.unpack("f", struct.pack("f", float(v)))[0]


def literal(v):  # C++ hex float literal
    m, e = v.hex().split("p")
    return m.rstrip("0").rstrip(".") + "p" + e + "f"


e, D, Q = fit()
print("// weighted error before rounding: 2^%.2f" % float(mp.log(e, 2)))
# x = 2y: S(x) = 2 S2(x/2) = x^3 D(x^2/4) / 4 / Q(x^2/4)
d = [single(D[i] / (4 * 4**i)) for i in range(ND + 1)]
q = [single(Q[i] / 4**i) for i in range(1, NQ + 1)]
print("  static constexpr float d[] = {" + ", ".join(literal(v) for v in d) + "};")
print("  static constexpr float q[] = {" + ", ".join(literal(v) for v in q) + "};")
