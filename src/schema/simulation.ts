// Scenario-file schema for the `simulation` section: what the flow simulator runs and how.
import * as z from "zod";
import { count, countOrZero, fraction, nonNegative, positive, recordOf } from "./fields.js";

export const COLLECTIVE_OPS = [
  "all-reduce",
  "reduce-scatter",
  "all-gather",
  "all-to-all",
  "send-recv",
] as const;
/** Flat algorithms a phase can run (`auto`: the cheapest on its routes). */
export const PHASE_ALGORITHMS = [
  "auto",
  "ring",
  "bidirectional-ring",
  "direct",
  "halving-doubling",
  "double-binary-tree",
] as const;
/** What `algorithm` may say for a whole collective: a phase algorithm (flat over the group) or `hierarchical`. */
export const ALGORITHM_CHOICES = [
  ...PHASE_ALGORITHMS.slice(0, 1),
  "hierarchical",
  ...PHASE_ALGORITHMS.slice(1),
] as const;
export const MULTIPATH_CHOICES = ["spray", "ecmp", "adaptive", "minimal", "all-path"] as const;
/** Largest number of chunks a collective may be pipelined in. */
export const MAX_CHUNKS = 1024;

/** One collective to run: its op and size, and the chips it runs on. */
export const collectiveFile = z.lazy(() =>
  z.strictObject({
    op: z.enum(COLLECTIVE_OPS),
    /** Bytes per rank (the full buffer for all-reduce), MiB. */
    sizeMiB: positive("MiB"),
    /** Ranks taking part; all chips (from firstChip, every strideChips) when omitted. */
    ranks: count("ranks").optional(),
    /** Chip of the first rank (default 0). */
    firstChip: countOrZero("chips").optional(),
    /** Chips between consecutive ranks (default 1). */
    strideChips: count("chips").optional(),
    /** When it starts, s after the run begins (default 0). */
    startS: nonNegative("s").optional(),
  }),
);

export const simulationFile = z.lazy(() =>
  z.strictObject({
    /** What to simulate: one training iteration (needs model and training) or collectives. */
    run: z.enum(["iteration", "collective"]).optional(),
    /** The collective to run when run is "collective". */
    collective: collectiveFile.optional(),
    /** Several collectives at once on one fabric (jobs side by side); every rank of each is simulated. */
    collectives: z.array(collectiveFile).min(1).max(64).optional(),
    /**
     * Collective algorithm: auto picks per phase on the routes each candidate takes; a flat id runs over
     * the whole group; an object gives one per tier name ("*" for the others), the hierarchy kept.
     */
    algorithm: z
      .union([z.enum(ALGORITHM_CHOICES), z.record(z.string(), z.enum(PHASE_ALGORITHMS))])
      .optional(),
    /** Pieces each collective's buffer is pipelined in across its phases (default 1). */
    chunks: count("chunks")
      .max(MAX_CHUNKS, { error: `must be at most ${MAX_CHUNKS} chunks` })
      .optional(),
    /** flow: max-min fair flows with contention; analytical: each link carries one message at a time. */
    backend: z.enum(["flow", "analytical"]).optional(),
    /** Simulate one representative per equivalence class of ranks (default true). */
    symmetry: z.boolean().optional(),
    /** Replay repeated per-stage collectives after their first full simulation (default true). */
    replay: z.boolean().optional(),
    /** Multipath per tier name ("*" for all): spray/ecmp/adaptive for fat-trees, minimal/all-path for meshes. */
    routing: recordOf(z.enum(MULTIPATH_CHOICES), "a tier").optional(),
    /** Links that fail or slow down during the run, by the name reports print (`scale-out[0] leaf 3 up`). */
    faults: z
      .array(
        z.strictObject({
          link: z.string().min(1),
          /** When, s after the run begins (default 0). */
          atS: nonNegative("s").optional(),
          /** Capacity left: 0 = failed (traffic reroutes where the topology has a way), 0.5 = half speed. */
          bandwidthFactor: fraction("capacity left"),
        }),
      )
      .max(1000)
      .optional(),
    /**
     * Slow ranks of a collective run: each chip sends nothing in the first phase it takes part in until
     * `delayS` after that phase starts (it arrives late); the ranks waiting on it wait.
     */
    stragglers: z
      .array(
        z.strictObject({
          chip: countOrZero("chips"),
          /** How late the chip arrives, s. */
          delayS: nonNegative("s"),
        }),
      )
      .max(1000)
      .optional(),
    /** Pipeline stages kept in the --trace timeline (sampled evenly). */
    traceStages: count("stages").optional(),
    /** How many of the most loaded links to report. */
    hottestLinks: count("links").optional(),
  }),
);
export type SimulationFile = z.input<typeof simulationFile>;
export type SimulationConfig = z.output<typeof simulationFile>;
export type CollectiveConfig = z.output<typeof collectiveFile>;
