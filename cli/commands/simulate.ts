// `zettasim simulate <scenario>`: flow-level simulation of one training iteration or one collective, beside `train`'s figure.
import cliProgress from "cli-progress";
import type { Command } from "commander";
import { ZettasimError } from "../../src/core/errors.js";
import { fmtDuration, fmtInt, fmtSI } from "../../src/core/units.js";
import { layoutLines } from "../../src/report/format.js";
import { type StepTimeBand, simulationReport } from "../../src/report/results.js";
import { dur, pct, tierUsageTable } from "../../src/report/tables.js";
import type { Scenario } from "../../src/scenario/load.js";
import {
  ALGORITHM_CHOICES,
  MAX_CHUNKS,
  PHASE_ALGORITHMS,
  type SimulationConfig,
} from "../../src/schema/simulation.js";
import { ANNOUNCE_WALL_S, estimateSimulation } from "../../src/sim/estimate.js";
import { chromeTrace, type SimulationResult } from "../../src/sim/simulate.js";
import { action, checkOutputPath, numberFlag, printJson, readScenario, writeOutput } from "../io.js";
import { PlainTicker } from "../progress.js";
import { table, textTable } from "../table.js";

interface Flags {
  json?: boolean;
  trace?: string;
  traceStages?: string;
  symmetry?: boolean;
  replay?: boolean;
  backend?: string;
  algorithm?: string;
  chunks?: string;
}

/**
 * `--algorithm`: one choice for the whole collective (`ring`, `hierarchical`...) or one per tier name,
 * `tier=algorithm` pairs separated by commas (`*` for the other tiers).
 */
function algorithmFlag(value: string): SimulationConfig["algorithm"] {
  const bad = (v: string, expected: string) =>
    new ZettasimError([
      { path: ["--algorithm"], message: "unknown collective algorithm", value: v, expected },
    ]);
  if (!value.includes("=")) {
    if (!(ALGORITHM_CHOICES as readonly string[]).includes(value))
      throw bad(value, ALGORITHM_CHOICES.join(", "));
    return value as (typeof ALGORITHM_CHOICES)[number];
  }
  const out: Record<string, (typeof PHASE_ALGORITHMS)[number]> = {};
  for (const pair of value.split(",")) {
    const [tier, alg] = pair.split("=").map((x) => x.trim());
    if (!tier || !alg || !(PHASE_ALGORITHMS as readonly string[]).includes(alg))
      throw bad(pair, `tier=algorithm pairs, the algorithm one of ${PHASE_ALGORITHMS.join(", ")}`);
    out[tier] = alg as (typeof PHASE_ALGORITHMS)[number];
  }
  return out;
}

/** The flags as overrides of the scenario's simulation section. */
function configFrom(flags: Flags): SimulationConfig {
  const config: SimulationConfig = {};
  if (flags.symmetry === false) config.symmetry = false;
  if (flags.replay === false) config.replay = false;
  if (flags.backend !== undefined) {
    if (flags.backend !== "flow" && flags.backend !== "analytical")
      throw new ZettasimError([
        {
          path: ["--backend"],
          message: "unknown back end",
          value: flags.backend,
          expected: "flow or analytical",
        },
      ]);
    config.backend = flags.backend;
  }
  if (flags.algorithm !== undefined) config.algorithm = algorithmFlag(flags.algorithm);
  const ts = numberFlag("trace-stages", flags.traceStages, { integer: true, min: 1 });
  if (ts !== undefined) config.traceStages = ts;
  const chunks = numberFlag("chunks", flags.chunks, { integer: true, min: 1 });
  if (chunks !== undefined) {
    if (chunks > MAX_CHUNKS)
      throw new ZettasimError([
        { path: ["--chunks"], message: "too many chunks", value: chunks, expected: `at most ${MAX_CHUNKS}` },
      ]);
    config.chunks = chunks;
  }
  return config;
}

/** What a long run will cost, said before it starts, or undefined for a run of a few seconds (the core refuses runs past its limits). */
export function longRunNotice(sc: Scenario, config: SimulationConfig): string | undefined {
  const e = estimateSimulation(sc, { ...(sc.file.simulation ?? {}), ...config });
  if (e.wallS <= ANNOUNCE_WALL_S) return undefined;
  return `zettasim: this simulation will take about ${fmtDuration(e.wallS)} (estimate: ${fmtSI(e.events, "")} events, ${fmtSI(e.memoryBytes, "B")} of memory; ${e.notes.join("; ")})\n`;
}

/** Says on stderr what a long run will cost before it starts. */
function announce(sc: Scenario, config: SimulationConfig): void {
  const notice = longRunNotice(sc, config);
  if (notice) process.stderr.write(notice);
}

export function registerSimulate(program: Command): void {
  program
    .command("simulate")
    .description("flow-level simulation of one training iteration (or collectives) exploiting symmetry")
    .argument("<scenario>", "scenario file (.yaml/.json), ASTRA-sim network file, or catalog system id")
    .option("--json", "print JSON")
    .option(
      "--trace <file>",
      "write a Chrome Trace Event timeline with per-tier link utilisation (open in Perfetto); - for stdout",
    )
    .option("--trace-stages <n>", "pipeline stages kept in the trace (sampled evenly; default 16)")
    .option("--no-symmetry", "simulate every rank's traffic instead of one per equivalence class")
    .option("--no-replay", "simulate every occurrence of repeated collectives")
    .option("--backend <name>", "flow (max-min sharing) or analytical (each link one message at a time)")
    .option(
      "--algorithm <name>",
      `collective algorithm (${ALGORITHM_CHOICES.join(", ")}), or per tier: tier=algorithm,...`,
    )
    .option("--chunks <n>", "pipeline each collective in this many chunks across its phases")
    .action(
      action((arg: string, flags: Flags) => {
        const sc = readScenario(arg);
        if (flags.trace !== undefined) {
          checkOutputPath("--trace", flags.trace);
          if (flags.trace === "-" && flags.json)
            throw new ZettasimError([
              {
                path: ["--trace"],
                message: "--trace - and --json both write to stdout",
                value: "-",
                expected: "a trace file path with --json",
              },
            ]);
        }
        const config = configFrom(flags);
        if (!flags.json) announce(sc, config);
        const bar =
          !flags.json && process.stderr.isTTY === true
            ? new cliProgress.SingleBar(
                {
                  format: "  simulating [{bar}] {value} us simulated",
                  stream: process.stderr,
                  clearOnComplete: true,
                  synchronousUpdate: true,
                  fps: 10,
                },
                cliProgress.Presets.shades_classic,
              )
            : undefined;
        bar?.start(1, 0);
        // Off a terminal (a log, CI) a long run gets plain periodic lines instead of the bar.
        const ticker =
          !flags.json && process.stderr.isTTY !== true ? new PlainTicker("simulating") : undefined;
        const t0 = performance.now();
        const { report, result: r } = simulationReport(sc, {
          config,
          trace: flags.trace !== undefined,
          onProgress: (t) => {
            bar?.setTotal(Math.max(1, Math.ceil(t * 1e6 * 1.1)));
            bar?.update(Math.round(t * 1e6));
            ticker?.tick(() => `${fmtSI(t, "s")} simulated`);
          },
        });
        const wallS = (performance.now() - t0) / 1000;
        bar?.stop();
        if (flags.trace !== undefined) writeOutput(flags.trace, JSON.stringify(chromeTrace(r)));
        // Wall time stays out of the JSON: the same inputs give byte-identical output.
        if (flags.json) return printJson(report);
        // With the trace on stdout, the report goes to stderr.
        const text = render(
          r,
          report.uncertainty,
          sc.system.name,
          wallS,
          flags.trace === "-" ? undefined : flags.trace,
        );
        (flags.trace === "-" ? process.stderr : process.stdout).write(text);
      }),
    );
}

/** A collective run's headline and its phases (tier, op, algorithm, ranks, time, how simulated). */
function collectiveLines(r: SimulationResult): string[] {
  const out: string[] = [];
  if (r.collectives) {
    const rows = [["job", "op", "per rank", "ranks", "first chip", "stride", "start", "time"]];
    r.collectives.forEach((c, i) => {
      rows.push([
        String(i),
        c.op,
        fmtSI(c.bytesPerRank, "B"),
        fmtInt(c.ranks),
        fmtInt(c.firstChip),
        fmtInt(c.strideChips),
        dur(c.startS),
        dur(c.timeS),
      ]);
    });
    out.push(table(rows, { header: true, indent: 2 }));
  } else if (r.collective) {
    const c = r.collective;
    out.push(`  ${c.op} of ${fmtSI(c.bytesPerRank, "B")} per rank over ${fmtInt(c.ranks)} ranks`);
  }
  out.push(`  collective time   ${dur(r.stepTimeS)}`, "");
  const rows = [["phase", "tier", "algorithm", "ranks", "time", "simulated as"]];
  for (const p of r.phases)
    rows.push([
      r.collectives ? `${p.name}: ${p.op}` : p.op,
      String(p.tier),
      p.note ? `${p.algorithm} (${p.note})` : p.algorithm,
      fmtInt(p.ranks),
      dur(p.endS - p.startS),
      `${p.simulated}${p.chunks > 1 ? `, ${p.chunks} chunks` : ""}`,
    ]);
  out.push(table(rows, { header: true, indent: 2 }));
  return out;
}

function render(
  r: SimulationResult,
  band: StepTimeBand | undefined,
  systemName: string,
  wallS: number,
  traceFile?: string,
): string {
  const out: string[] = [];
  out.push(
    `${r.scenario}: ${systemName}, ${fmtInt(r.chips)} chips (${r.backend} back end, ${r.symmetric ? "symmetric" : "every rank"})`,
  );
  if (r.run === "iteration") {
    for (const l of r.layout ? layoutLines(r.chips, r.layout) : []) out.push(`  ${l}`);
    out.push(`  step time, simulated            ${dur(r.stepTimeS)}`);
    out.push(
      `  80% band                        ${band ? `${dur(band.stepTimeLowS)} - ${dur(band.stepTimeHighS)} (${band.cases} out-of-sample ${band.classKey} cases of train's model)` : "none (no validated class)"}`,
    );
    if (r.analytical) {
      const d = r.analytical.differencePct;
      out.push(`  step time, analytical (train)   ${dur(r.analytical.stepTimeS)}`);
      out.push(`  difference                      ${d >= 0 ? "+" : ""}${d.toFixed(1)}%`);
    }
  } else out.push(...collectiveLines(r));
  for (const f of r.faults ?? [])
    out.push(
      `  fault: ${f.link} at ${dur(f.atS)}: ${f.bandwidthFactor === 0 ? "failed" : `${pct(f.bandwidthFactor)} of its capacity`}`,
    );
  for (const x of r.stragglers ?? []) out.push(`  straggler: chip ${x.chip} arrives ${dur(x.delayS)} late`);
  out.push("");
  // Columns: the stage that ends last (sums to the step time) and, when it differs, the stage with the
  // most compute, which is the one the analytical model charges (like with like).
  const cols: { title: string; b: Record<string, number> }[] = [];
  if (r.slowestStage !== undefined) {
    const same = r.busiestStage === undefined || r.busiestStage === r.slowestStage;
    cols.push({
      title: `stage ${r.slowestStage} (ends last${same ? ", most compute" : ""})`,
      b: r.breakdownS as Record<string, number>,
    });
    if (!same && r.busiestStageBreakdownS)
      cols.push({
        title: `stage ${r.busiestStage} (most compute)`,
        b: r.busiestStageBreakdownS as unknown as Record<string, number>,
      });
  } else cols.push({ title: "simulated", b: r.breakdownS as Record<string, number> });
  const rows = [
    [
      r.slowestStage !== undefined ? "breakdown, simulated" : "breakdown",
      ...cols.map((c) => c.title),
      ...(r.analytical ? ["analytical"] : []),
    ],
  ];
  for (const k of Object.keys(r.breakdownS)) {
    const a = r.analytical?.breakdownS[k];
    rows.push([
      k.replace(/S$/, ""),
      ...cols.map((c) => dur(c.b[k] ?? 0)),
      ...(r.analytical ? [a === undefined ? "-" : dur(a)] : []),
    ]);
  }
  if (r.slowestStage !== undefined) {
    const sum = (b: Record<string, number>) => Object.values(b).reduce((x, y) => x + y, 0);
    // Compute and bubble trade places between stages (a light stage waits for a heavy one), so their sum compares best.
    const pipe = (b: Record<string, number>) => (b.computeS ?? 0) + (b.recomputeS ?? 0) + (b.bubbleS ?? 0);
    rows.push([
      "compute+recompute+bubble",
      ...cols.map((c) => dur(pipe(c.b))),
      ...(r.analytical ? [dur(pipe(r.analytical.breakdownS))] : []),
    ]);
    rows.push([
      "total",
      ...cols.map((c) => dur(sum(c.b))),
      ...(r.analytical ? [dur(sum(r.analytical.breakdownS))] : []),
    ]);
  }
  out.push(table(rows, { header: true, indent: 2 }));
  if (r.slowestStage !== undefined) {
    out.push("  ends last: the stage that finishes last; its parts sum to the step time, and a light stage");
    out.push("    paced by a heavier one shows the difference as bubble.");
    if (r.busiestStage !== undefined && r.busiestStage !== r.slowestStage)
      out.push(
        "  most compute: the stage whose compute `train` charges; it finishes earlier (total = its end).",
      );
    if (r.analytical)
      out.push("  analytical: `train`'s closed form: the slowest stage's compute, fill and drain as bubble.");
  }
  out.push("");
  out.push(textTable(tierUsageTable(r.tiers)));
  if (r.hottestLinks.length > 0) {
    out.push("");
    const hot = [["hottest links", "util", "carried"]];
    for (const h of r.hottestLinks) hot.push([h.link, pct(h.utilisation), fmtSI(h.bytesCarried, "B")]);
    out.push(table(hot, { header: true, indent: 2 }));
  }
  out.push("");
  out.push(
    `  ${fmtInt(r.stats.events)} events, ${fmtInt(r.stats.messages)} messages, ${fmtInt(r.stats.collectivesSimulated)} collectives simulated + ${fmtInt(r.stats.collectivesReplayed)} replayed, ${wallS.toFixed(2)} s wall`,
  );
  if (traceFile) out.push(`  trace written to ${traceFile} (open in https://ui.perfetto.dev)`);
  return `${out.join("\n")}\n`;
}
