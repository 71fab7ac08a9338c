// `zettasim serve <scenario>`: simulate serving requests on prefill/decode (or colocated) pools; latency, throughput, goodput, cost.
import type { Command } from "commander";
import { fmtInt } from "../../src/core/units.js";
import { servingJson, servingRun, sweepRow } from "../../src/report/results.js";
import { f1, loadSweepTable, pct } from "../../src/report/tables.js";
import type { ServingResult } from "../../src/serving/simulate.js";
import { action, numberFlag, printJson, readScenario, seedFlag } from "../io.js";
import { progressOnStderr } from "../progress.js";
import { table, textTable } from "../table.js";

interface Flags {
  seed?: string;
  requests?: string;
  rate?: string;
  sweep?: string;
  json?: boolean;
}

export function registerServe(program: Command): void {
  program
    .command("serve")
    .description(
      "simulate serving a model: TTFT/TPOT percentiles, tokens/s per chip, goodput under an SLO, cost",
    )
    .argument("<scenario>", "scenario file (.yaml/.json) with a `serving` section")
    .option("--seed <n>", "random seed (default: the scenario's, else 1)")
    .option("--requests <n>", "requests to simulate (overrides the workload's)")
    .option("--rate <r>", "mean arrival rate, requests/s (overrides the workload's)")
    .option(
      "--sweep <rates>",
      "comma-separated arrival rates, requests/s: one run each, summarised as a table",
    )
    .option("--json", "print JSON")
    .action(
      action((arg: string, flags: Flags) => {
        // Flags first: a bad number is named before the scenario is read or anything runs.
        const seed = seedFlag(flags.seed);
        const requests = numberFlag("requests", flags.requests, { integer: true, min: 1, max: 1e9 });
        const ratePerS = numberFlag("rate", flags.rate, { min: 1e-9, max: 1e12 });
        const rates =
          flags.sweep === undefined
            ? undefined
            : flags.sweep
                .split(",")
                .map((x) => numberFlag("sweep", x.trim(), { min: 1e-9, max: 1e12 }) as number);
        const sc = readScenario(arg);
        const run = servingRun(sc, arg, {
          seed,
          requests,
          ratePerS,
          sweepRatesPerS: rates,
          raw: { rate: flags.rate, sweep: flags.sweep },
        });
        if (rates !== undefined) {
          // One run per rate, each counted in requests: progress over all of them (none with --json).
          const sweepBar = progressOnStderr(!flags.json, "serving sweep", "requests");
          let begun = false;
          const rows = rates.map((r, k) =>
            sweepRow(run, r, {
              onProgress: (done, total) => {
                if (!sweepBar) return;
                if (!begun) sweepBar.start(total * rates.length, 0);
                begun = true;
                if (done % 50 === 0 || done === total) sweepBar.update(k * total + done);
              },
            }),
          );
          if (begun) sweepBar?.stop();
          if (flags.json) return printJson({ scenario: sc.name, system: sc.system.id, sweep: rows });
          process.stdout.write(renderSweep(sc.name, rows));
          return;
        }
        const bar = progressOnStderr(!flags.json, "serving", "requests");
        let started = false;
        const result = servingJson(sc, run, {
          onProgress: (done, total) => {
            if (!bar) return;
            if (!started) {
              bar.start(total, 0);
              started = true;
            }
            if (done % 50 === 0 || done === total) bar.update(done);
          },
        });
        if (started) bar?.stop();
        if (flags.json) return printJson(result);
        process.stdout.write(render(sc.name, sc.system.name, result));
      }),
    );
}

function renderSweep(name: string, rows: (ServingResult & { ratePerS: number })[]): string {
  const g = rows[0]?.goodput;
  const slo = g
    ? ` (SLO: ${[g.ttftSloMs !== undefined ? `TTFT <= ${g.ttftSloMs} ms` : "", g.tpotSloMs !== undefined ? `TPOT <= ${g.tpotSloMs} ms` : ""].filter(Boolean).join(", ")})`
    : "";
  return `${name}: load sweep${slo}\n\n${textTable(loadSweepTable(rows))}\n`;
}

/** A mean with its 95% half-width (the mean alone when the run is too short for one). */
const pm = (x: number, h: number) => (h > 0 ? `${f1(x)} +- ${f1(h)}` : f1(x));

function render(name: string, system: string, r: ServingResult): string {
  const out: string[] = [];
  out.push(`${name}: ${r.mode} serving on ${fmtInt(r.chips)} chips of ${system}`);
  out.push("");
  out.push(
    table(
      [
        [
          "pool",
          "chip",
          "instances",
          "chips/inst",
          "tp",
          "dp-attn",
          "ep",
          "weights GB/chip",
          "KV tokens/rank",
          "KV used",
          "busy",
          "step ms",
        ],
        ...r.pools.map((p) => [
          p.role,
          p.chip,
          String(p.instances),
          String(p.instanceChips),
          String(p.tp),
          String(p.attentionDp),
          String(p.ep),
          p.weightGBPerChip.toFixed(1),
          fmtInt(p.kvCapacityTokensPerRank),
          `${pct(p.kvUsedMeanFraction)} (peak ${pct(p.kvUsedPeakFraction)})`,
          pct(p.busyFraction),
          f1(p.meanStepMs),
        ]),
      ],
      { header: true, indent: 2 },
    ),
  );
  out.push("");
  out.push(
    table(
      [
        ["mean step, ms", "total", "compute", "attention", "matmul", "comm", "comm exposed"],
        ...r.pools.map((p) => {
          const b = p.meanStepBreakdownMs;
          return [
            p.role,
            f1(p.meanStepMs),
            f1(b.compute),
            f1(b.attentionCore),
            f1(b.matmul),
            f1(b.communication),
            f1(b.exposedCommunication),
          ];
        }),
      ],
      { header: true, indent: 2 },
    ),
  );
  out.push("");
  out.push(
    table(
      [
        ["latency", "p50", "p90", "p99", "mean"],
        [
          "TTFT ms",
          f1(r.ttftMs.p50),
          f1(r.ttftMs.p90),
          f1(r.ttftMs.p99),
          pm(r.ttftMs.mean, r.ttftMs.meanHalfWidth95),
        ],
        [
          "TPOT ms",
          f1(r.tpotMs.p50),
          f1(r.tpotMs.p90),
          f1(r.tpotMs.p99),
          pm(r.tpotMs.mean, r.tpotMs.meanHalfWidth95),
        ],
        [
          "end-to-end ms",
          f1(r.e2eMs.p50),
          f1(r.e2eMs.p90),
          f1(r.e2eMs.p99),
          pm(r.e2eMs.mean, r.e2eMs.meanHalfWidth95),
        ],
      ],
      { header: true, indent: 2 },
    ),
  );
  out.push("");
  const t = r.throughput;
  const rows: string[][] = [
    [
      "requests",
      `${fmtInt(r.requests.completed)} of ${fmtInt(r.requests.arrived)} completed, ${fmtInt(r.requests.inFlight)} in flight, ${fmtInt(r.requests.rejected)} rejected, ${fmtInt(r.requests.preemptions)} preemptions`,
    ],
    [
      "simulated",
      `${r.simulatedS.toFixed(1)} s (figures over the ${t.windowS.toFixed(1)} s ${t.over}${r.measurement.warmupRequests > 0 ? `: ${fmtInt(r.measurement.warmupRequests)} warm-up and ${fmtInt(r.measurement.drainRequests)} drain requests left out` : ""}; +- is a 95% interval)`,
    ],
    [
      "throughput",
      `${pm(t.requestsPerS, t.halfWidth95.requestsPerS)} req/s, ${pm(t.inputTokensPerS, t.halfWidth95.inputTokensPerS)} input + ${pm(t.outputTokensPerS, t.halfWidth95.outputTokensPerS)} output tokens/s`,
    ],
    [
      "per chip",
      `${f1(t.inputTokensPerSecondPerChip)} input + ${f1(t.outputTokensPerSecondPerChip)} output tokens/s`,
    ],
  ];
  if (r.goodput) {
    const g = r.goodput;
    const slo = [
      g.ttftSloMs !== undefined ? `TTFT <= ${g.ttftSloMs} ms` : "",
      g.tpotSloMs !== undefined ? `TPOT <= ${g.tpotSloMs} ms` : "",
    ]
      .filter(Boolean)
      .join(", ");
    rows.push([
      "goodput",
      `${f1(g.requestsPerS)} req/s meeting ${slo} (${pct(g.fractionMeetingSlo)} of requests)`,
    ]);
  }
  if (r.kvTransfer)
    rows.push(["KV transfer", `${f1(r.kvTransfer.meanMs)} ms mean over ${r.kvTransfer.tier}`]);
  if (r.costUsdPerMillionOutputTokens !== undefined) {
    rows.push([
      "cost",
      `$${r.costUsdPerMillionOutputTokens.toFixed(3)} per million output tokens ($${(r.costUsdPerMillionTokens ?? 0).toFixed(3)} per million tokens in + out)`,
    ]);
  }
  if (r.speculative) {
    const sp = r.speculative;
    rows.push([
      "speculative",
      `${sp.draftTokens} draft tokens per step at acceptance ${sp.acceptanceRate}: ${sp.simulatedTokensPerStep.toFixed(2)} tokens per sequence per step (${sp.expectedTokensPerStep.toFixed(2)} away from output ends)`,
    ]);
  }
  for (const u of r.uncertainty)
    rows.push([
      `model error (${u.role})`,
      `measured step time within x${u.stepTimeLowFactor.toFixed(2)} to x${u.stepTimeHighFactor.toFixed(2)} of the model's in 80% of ${u.cases} published ${u.classKey} runs no fit saw (residuals ${u.residualLowPct}% to +${u.residualHighPct}%)`,
    ]);
  if (r.uncertainty.length === 0)
    rows.push(["model error", "no validated serving class with enough published runs for this machine"]);
  out.push(table(rows, { indent: 2 }));
  return `${out.join("\n")}\n`;
}
