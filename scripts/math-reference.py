#!/usr/bin/env python3
"""Writes test/fixtures/math-reference.json: inputs and correctly rounded results of log, exp, expm1, cos and pow,
computed with mpmath at 300 bits and rounded once to the nearest double. src/core/math.test.ts checks the core's
deterministic elementary functions against them. Run: python3 scripts/math-reference.py (needs mpmath)."""
import json
import math
import random
import struct

import mpmath

mpmath.mp.prec = 300
rng = random.Random(20261130)


def bits(x):
    return struct.unpack("<Q", struct.pack("<d", x))[0]


def from_bits(b):
    return struct.unpack("<d", struct.pack("<Q", b))[0]


def rnd(v):
    # mpmath rounds to nearest, ties to even, when converting to a Python float.
    return float(v)


def log_uniform(lo, hi, n):
    return [math.exp(rng.uniform(math.log(lo), math.log(hi))) for _ in range(n)]


def hexs(x):
    return "%016x" % bits(x)


cases = {"log": [], "exp": [], "expm1": [], "cos": [], "pow": []}

log_in = log_uniform(1e-300, 1e300, 600) + [rng.uniform(0.5, 2) for _ in range(600)]
log_in += [1 + rng.uniform(-1e-6, 1e-6) for _ in range(150)] + [from_bits(rng.randrange(1, 1 << 52)) for _ in range(50)]
log_in += [rng.random() for _ in range(400)]  # what the random-number generator feeds it
for x in log_in:
    cases["log"].append([hexs(x), hexs(rnd(mpmath.log(mpmath.mpf(x))))])

exp_in = [rng.uniform(-745, 709.7) for _ in range(600)] + [rng.uniform(-2, 2) for _ in range(600)]
exp_in += [rng.uniform(-1e-8, 1e-8) for _ in range(100)]
for x in exp_in:
    cases["exp"].append([hexs(x), hexs(rnd(mpmath.exp(mpmath.mpf(x))))])

em_in = [rng.uniform(-40, 709) for _ in range(500)] + [rng.uniform(-1.2, 1.2) for _ in range(700)]
em_in += [rng.uniform(-1e-10, 1e-10) for _ in range(100)] + [-math.exp(rng.uniform(-700, 0)) for _ in range(100)]
for x in em_in:
    cases["expm1"].append([hexs(x), hexs(rnd(mpmath.expm1(mpmath.mpf(x))))])

cos_in = [rng.uniform(0, 2 * math.pi) for _ in range(1000)] + [rng.uniform(-1e5, 1e5) for _ in range(200)]
cos_in += [k * math.pi / 2 + rng.uniform(-1e-12, 1e-12) for k in range(1, 9) for _ in range(10)]
for x in cos_in:
    cases["cos"].append([hexs(x), hexs(rnd(mpmath.cos(mpmath.mpf(x))))])

for _ in range(700):
    x = rng.random()
    y = 1 / rng.uniform(0.001, 1)
    cases["pow"].append([hexs(x), hexs(y), hexs(rnd(mpmath.power(mpmath.mpf(x), mpmath.mpf(y))))])
for _ in range(300):
    x = rng.uniform(0, 1)
    y = float(rng.randrange(1, 64))
    cases["pow"].append([hexs(x), hexs(y), hexs(rnd(mpmath.power(mpmath.mpf(x), mpmath.mpf(y))))])

with open("test/fixtures/math-reference.json", "w") as f:
    json.dump(
        {
            "about": "inputs and correctly rounded results as IEEE 754 double bit patterns (hex); written by scripts/math-reference.py with mpmath at 300 bits",
            "cases": cases,
        },
        f,
        separators=(",", ":"),
    )
