// Pieces several topology kinds share: per-chip ports, the ECMP flow hash, grid arithmetic and the dims check.
import { ZettasimError } from "../../core/errors.js";
import type { Topology, TopologyKind } from "../types.js";
import type { TierNetParams, TopologyProblem } from "./types.js";

/** Per-chip egress (id = chip) and ingress (id = chips + chip) ports, shared by several kinds. */
export class Ports {
  constructor(
    readonly chips: number,
    readonly cap: number,
  ) {}
  up(chip: number) {
    return chip;
  }
  down(chip: number) {
    return this.chips + chip;
  }
  get count() {
    return 2 * this.chips;
  }
  name(local: number) {
    return local < this.chips ? `chip ${local} out` : `chip ${local - this.chips} in`;
  }
  /** The member a port's chip belongs to, as sender (out port) or receiver (in port). */
  members(local: number, memberSize: number, out: Int32Array) {
    const up = local < this.chips;
    const m = Math.floor((up ? local : local - this.chips) / memberSize);
    out[0] = up ? m : -1;
    out[1] = up ? -1 : m;
  }
  /** Ends of a port link: chip -> its node `at(chip)` going out, the reverse coming in. */
  ends(local: number, at: (chip: number) => number, out: Int32Array) {
    const up = local < this.chips;
    const chip = up ? local : local - this.chips;
    out[up ? 0 : 1] = chip;
    out[up ? 1 : 0] = at(chip);
  }
}

/** Flow hash for ECMP. The salt (message tag) is multiplied in like the endpoints: XORed in raw, 64 tags reached 5 of 8 spines per pair. */
export function hash3(a: number, b: number, c: number): number {
  let h =
    Math.imul(a ^ 0x9e3779b9, 0x85ebca6b) ^
    Math.imul(b + 0x7f4a7c15, 0xc2b2ae35) ^
    Math.imul(c + 0x165667b1, 0x27d4eb2f);
  h = Math.imul(h ^ (h >>> 16), 0x45d9f3b);
  return (h ^ (h >>> 13)) >>> 0;
}

export const none = () => 0;
export const dimsOf = (t: Topology, members: number): number[] =>
  t.dims && t.dims.length > 0 ? t.dims : [members];
export const product = (xs: number[]) => xs.reduce((a, b) => a * b, 1);

/** Chips on either side of a balanced cut of a line of d members: floor(d/2) x ceil(d/2) member pairs cross it. */
export const crossingPairs = (d: number) => Math.floor(d / 2) * Math.ceil(d / 2);

/** Grid kinds: the dims, when given, must multiply to the members the tier joins. */
export function checkDims(t: Topology, members: number): TopologyProblem | undefined {
  if (!t.dims) return undefined;
  const p = product(t.dims);
  return p === members
    ? undefined
    : {
        field: "dims",
        message: `dims ${JSON.stringify(t.dims)} hold ${p} members but the tier joins ${members} (groupSize / previous groupSize)`,
        expected: `dimensions whose product is ${members}`,
      };
}

/** The grid a torus or n-D mesh tier group is laid out on (its dims, or one line of every member); throws naming `topology.dims` when they do not fit. */
export function gridDims(p: TierNetParams, path: (string | number)[], kind: TopologyKind): number[] {
  const dims = p.dims ?? [p.members];
  const problem = checkDims({ kind, dims }, p.members);
  if (problem)
    throw new ZettasimError([
      {
        path: [...path, "topology", "dims"],
        message: problem.message,
        value: dims,
        expected: problem.expected,
      },
    ]);
  return dims;
}
