// Scenario-file schema for the `simulation` section: what the flow simulator runs and how.
import { z } from "zod";
import { count, positive } from "./fields.js";

export const COLLECTIVE_OPS = [
  "all-reduce",
  "reduce-scatter",
  "all-gather",
  "all-to-all",
  "send-recv",
] as const;
export const ALGORITHM_CHOICES = [
  "auto",
  "hierarchical",
  "ring",
  "direct",
  "halving-doubling",
  "double-binary-tree",
] as const;
export const MULTIPATH_CHOICES = ["spray", "ecmp", "minimal", "all-path"] as const;

export const simulationFile = z.strictObject({
  /** What to simulate: one training iteration (needs model and training) or one collective. */
  run: z.enum(["iteration", "collective"]).optional(),
  /** The collective to run when run is "collective". */
  collective: z
    .strictObject({
      op: z.enum(COLLECTIVE_OPS),
      /** Bytes per rank (the full buffer for all-reduce), MiB. */
      sizeMiB: positive("MiB"),
      /** Ranks taking part: chips 0..ranks-1; all chips when omitted. */
      ranks: count("ranks").optional(),
    })
    .optional(),
  /** Collective algorithm: auto picks per phase by closed form on the topology. */
  algorithm: z.enum(ALGORITHM_CHOICES).optional(),
  /** flow: max-min fair flows with contention; analytical: each message alone at its bottleneck rate. */
  backend: z.enum(["flow", "analytical"]).optional(),
  /** Simulate one representative per equivalence class of ranks (default true). */
  symmetry: z.boolean().optional(),
  /** Replay repeated per-stage collectives after their first full simulation (default true). */
  replay: z.boolean().optional(),
  /** Multipath per tier name ("*" for all): spray/ecmp for fat-trees, minimal/all-path for meshes. */
  routing: z.record(z.string(), z.enum(MULTIPATH_CHOICES)).optional(),
  /** Pipeline stages kept in the --trace timeline (sampled evenly). */
  traceStages: count("stages").optional(),
  /** How many of the most loaded links to report. */
  hottestLinks: count("links").optional(),
});
export type SimulationFile = z.input<typeof simulationFile>;
export type SimulationConfig = z.output<typeof simulationFile>;
