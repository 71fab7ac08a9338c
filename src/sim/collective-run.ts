// Collective runs of `simulate`: one collective (symmetric), or several at once on one fabric (jobs side by side, every rank simulated).
import { ZettasimError } from "../core/errors.js";
import type { CollectiveConfig, SimulationConfig } from "../schema/simulation.js";
import type { AlgorithmSpec, PhaseRecord } from "./collectives/run.js";
import { runCollective } from "./collectives/run.js";
import type { Network } from "./network.js";

const MiB = 2 ** 20;

/** One collective that ran: what, where, when. */
export interface CollectiveOutcome {
  op: string;
  bytesPerRank: number;
  ranks: number;
  firstChip: number;
  strideChips: number;
  startS: number;
  /** Time from its start to its last rank's end, s. */
  timeS: number;
}

/** What the collective runs produced. */
export interface CollectiveRunResult {
  /** End of the last collective, s. */
  endS: number;
  outcomes: CollectiveOutcome[];
  /** Each collective's phases, named by the op (and the job's index when several ran). */
  phases: (PhaseRecord & { name: string })[];
}

const ranksMemo = new WeakMap<CollectiveConfig, { chips: number; ranks: number[] }>();

/**
 * The chips a collective runs on, checked against the system (errors name the field). Cost O(ranks),
 * once per collective and system size (the estimate and the run share the list; callers do not change it).
 */
export function ranksOf(c: CollectiveConfig, chips: number, path: (string | number)[]): number[] {
  const hit = ranksMemo.get(c);
  if (hit?.chips === chips) return hit.ranks;
  const ranks = listRanks(c, chips, path);
  ranksMemo.set(c, { chips, ranks });
  return ranks;
}

/** The chips of ranksOf, computed. */
function listRanks(c: CollectiveConfig, chips: number, path: (string | number)[]): number[] {
  const first = c.firstChip ?? 0;
  const stride = c.strideChips ?? 1;
  const fits = Math.floor((chips - 1 - first) / stride) + 1;
  if (first >= chips)
    throw new ZettasimError([
      {
        path: [...path, "firstChip"],
        message: "beyond the system's chips",
        value: first,
        expected: `below ${chips}`,
      },
    ]);
  if (c.op === "send-recv") {
    const n = c.ranks ?? 2;
    if (n !== 2)
      throw new ZettasimError([
        { path: [...path, "ranks"], message: "send-recv takes two ranks", value: n, expected: "2" },
      ]);
    // By default from the first chip to the last, the longest way through the fabric.
    const to = c.strideChips === undefined ? chips - 1 : first + stride;
    if (to >= chips || to === first)
      throw new ZettasimError([
        {
          path: [...path, "strideChips"],
          message: "the second rank is not a chip of the system",
          value: stride,
          expected: `below ${chips - first}`,
        },
      ]);
    return [first, to];
  }
  const n = c.ranks ?? fits;
  if (n > fits)
    throw new ZettasimError([
      {
        path: [...path, "ranks"],
        message: "more ranks than the system has chips",
        value: n,
        expected: `at most ${fits}${first > 0 || stride > 1 ? ` from chip ${first} every ${stride}` : ""}`,
      },
    ]);
  const ranks = new Array<number>(n);
  for (let i = 0; i < n; i++) ranks[i] = first + i * stride;
  return ranks;
}

/** What a bare system runs: a 1 GiB all-reduce over every chip. */
const WHOLE_SYSTEM: CollectiveConfig = Object.freeze({ op: "all-reduce", sizeMiB: 1024 });

/** The collectives a scenario asks for: its list, its one collective, or (bare system) a 1 GiB all-reduce over every chip. */
export function collectivesOf(cfg: SimulationConfig): {
  list: CollectiveConfig[];
  path: (string | number)[];
} {
  if (cfg.collectives) return { list: cfg.collectives, path: ["simulation", "collectives"] };
  const c = cfg.collective ?? (cfg.run === undefined ? WHOLE_SYSTEM : undefined);
  if (!c)
    throw new ZettasimError([
      {
        path: ["simulation", "collective"],
        message: "a collective run needs the collective to run",
        expected: "{ op: all-reduce, sizeMiB: 1024 } or a model and training section",
      },
    ]);
  return { list: [c], path: ["simulation", "collective"] };
}

/**
 * The scenario's stragglers on one collective's ranks: chip -> delay, s (the largest where a chip is named
 * twice); a chip beyond the system is an error naming the field. Cost O(stragglers).
 */
export function stragglersOn(
  cfg: SimulationConfig,
  ranks: readonly number[],
  chips: number,
): Map<number, number> | undefined {
  const out = new Map<number, number>();
  const first = ranks[0];
  const stride = ranks.length > 1 ? ranks[1] - ranks[0] : 1;
  (cfg.stragglers ?? []).forEach((s, i) => {
    if (s.chip >= chips)
      throw new ZettasimError([
        {
          path: ["simulation", "stragglers", i, "chip"],
          message: "beyond the system's chips",
          value: s.chip,
          expected: `below ${chips}`,
        },
      ]);
    const k = (s.chip - first) / stride;
    const member =
      ranks.length === 2 ? ranks.includes(s.chip) : Number.isInteger(k) && k >= 0 && k < ranks.length;
    if (member && s.delayS > 0) out.set(s.chip, Math.max(s.delayS, out.get(s.chip) ?? 0));
  });
  return out.size > 0 ? out : undefined;
}

/**
 * Runs the scenario's collectives on `net` and the queue to the end. One collective runs in symmetric
 * mode when asked; several at once run every rank (their traffic mixes, so no representative stands for
 * another job's ranks). Cost: the collectives' events.
 */
export function runCollectives(
  net: Network,
  cfg: SimulationConfig,
  symmetric: boolean,
  onProgress?: (simTimeS: number) => void,
): CollectiveRunResult {
  const { list, path } = collectivesOf(cfg);
  const chips = net.topology.chips;
  const several = list.length > 1;
  const outcomes: CollectiveOutcome[] = [];
  const phases: (PhaseRecord & { name: string })[] = [];
  list.forEach((c, i) => {
    const ranks = ranksOf(c, chips, several ? [...path, i] : path);
    const startS = c.startS ?? 0;
    const late = stragglersOn(cfg, ranks, chips);
    const name = several ? `${c.op} (job ${i})` : c.op;
    const out: CollectiveOutcome = {
      op: c.op,
      bytesPerRank: c.sizeMiB * MiB,
      ranks: ranks.length,
      firstChip: ranks[0],
      strideChips: ranks.length > 1 ? ranks[1] - ranks[0] : 1,
      startS,
      timeS: 0,
    };
    outcomes.push(out);
    net.queue.at(startS, () =>
      runCollective(
        net,
        {
          op: c.op,
          ranks,
          bytes: out.bytesPerRank,
          algorithm: cfg.algorithm as AlgorithmSpec | undefined,
          symmetric: symmetric && !several,
          chunks: cfg.chunks,
          tag: i + 1,
          stragglers: late,
        },
        (ph) => {
          out.timeS = net.now() - startS;
          for (const p of ph) phases.push({ name, ...p });
        },
      ),
    );
  });
  net.queue.run(Number.POSITIVE_INFINITY, onProgress);
  const endS = Math.max(0, ...outcomes.map((o) => o.startS + o.timeS));
  return { endS, outcomes, phases };
}
