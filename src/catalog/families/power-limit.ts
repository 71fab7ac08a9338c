// Sustained tensor throughput under a power limit below a chip's rating: a family's measured curve and its reading.
import { ZettasimError } from "../../core/errors.js";

/**
 * A chip family's measured compute-bound (tensor GEMM) throughput against its board power limit, both as fractions
 * of the chip's rated (TDP) power and of its throughput there. Points come from kernel-level measurements
 * (data/kernels/power-limit-throughput-published.json); between them the curve is read as a straight line (a chord).
 * Dynamic power ~ C V^2 f is convex in the clock, so the clock a limit allows is concave in the limit and the chord
 * never overstates the throughput between two measured points.
 */
export interface PowerLimitCurve {
  /** Measured points, powerFraction strictly increasing, the last at (1, 1); throughputFraction increasing. */
  points: readonly { powerFraction: number; throughputFraction: number }[];
  /** Source of the points (kernel, chip, method). */
  source: string;
}

/**
 * Throughput of compute-bound kernels at a board power limit `powerW` on a chip rated `ratedPowerW`, relative to
 * the chip at its rating (1 at the rating; in (0, 1] below it). `curve` undefined: the family has no measured curve
 * and the limit is not charged (1). Throws a ZettasimError naming `path` when `powerW` is above the rating or below
 * the family's lowest measured point. Cost O(points).
 */
export function powerLimitThroughput(
  curve: PowerLimitCurve | undefined,
  powerW: number,
  ratedPowerW: number,
  path: (string | number)[] = ["chip", "powerW"],
): number {
  if (!(powerW > 0) || !(ratedPowerW > 0) || powerW > ratedPowerW)
    throw new ZettasimError([
      {
        path,
        message: `expected a power limit in (0, ${ratedPowerW}] W (the chip's rated power)`,
        value: powerW,
      },
    ]);
  if (powerW === ratedPowerW || curve === undefined) return 1;
  const x = powerW / ratedPowerW;
  const pts = curve.points;
  const lowest = pts[0].powerFraction;
  if (x < lowest)
    throw new ZettasimError([
      {
        path,
        message: `expected a power limit of at least ${lowest * ratedPowerW} W (${lowest} of the rated ${ratedPowerW} W, the lowest measured point of the chip family's throughput-versus-power curve)`,
        value: powerW,
      },
    ]);
  for (let i = 1; i < pts.length; i++) {
    const a = pts[i - 1];
    const b = pts[i];
    if (x <= b.powerFraction) {
      const t = (x - a.powerFraction) / (b.powerFraction - a.powerFraction);
      return a.throughputFraction + t * (b.throughputFraction - a.throughputFraction);
    }
  }
  return 1;
}
