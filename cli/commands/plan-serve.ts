// `zettasim plan serve <scenario>`: the serving deployment (colocated or disaggregated, pool layouts and sizes) with the best goodput per chip, dollar or watt within TTFT/TPOT targets.
import { writeFileSync } from "node:fs";
import type { Command } from "commander";
import { stringify } from "yaml";
import { ZettasimError } from "../../src/core/errors.js";
import { fmtInt } from "../../src/core/units.js";
import {
  type PoolChoice,
  planServe,
  type ServeCandidate,
  type ServeCheckResult,
  type ServeCheckTask,
  type ServePlanResult,
} from "../../src/plan/serve.js";
import type { Scenario } from "../../src/scenario/load.js";
import { issuesFromZod } from "../../src/schema/issues.js";
import { serveSearchFile } from "../../src/schema/plan.js";
import { action, numberFlag, printJson, readScenario } from "../io.js";
import { table } from "../table.js";
import { choiceFlag, planExecutor, stopControls } from "./plan.js";

interface Flags {
  objective?: string;
  percentile?: string;
  modes?: string;
  recheck?: string;
  requests?: string;
  threads?: string;
  timeLimit?: string;
  emit?: string;
  json?: boolean;
}

/** The scenario with its plan.serve section and flags merged and checked. */
function withFlags(sc: Scenario, flags: Flags, file: string): Scenario {
  const serve: Record<string, unknown> = { ...(sc.file.plan?.serve ?? {}) };
  const obj = choiceFlag("objective", flags.objective, ["perChip", "perDollar", "perWatt"]);
  if (obj) serve.objective = obj;
  const pc = choiceFlag("percentile", flags.percentile, ["50", "90", "99"]);
  if (pc) serve.percentile = Number(pc);
  if (flags.modes !== undefined) {
    serve.modes = flags.modes
      .split(",")
      .map((m) => choiceFlag("modes", m.trim(), ["colocated", "disaggregated"]));
  }
  const rc = numberFlag("recheck", flags.recheck, { integer: true, min: 1 });
  if (rc !== undefined) serve.recheck = rc;
  const rq = numberFlag("requests", flags.requests, { integer: true, min: 2 });
  if (rq !== undefined) serve.requests = rq;
  const r = serveSearchFile.safeParse(serve, { reportInput: true });
  if (!r.success) throw new ZettasimError(issuesFromZod(r.error, ["plan", "serve"], serveSearchFile), file);
  return { ...sc, file: { ...sc.file, plan: { ...(sc.file.plan ?? {}), serve: r.data } } };
}

const f1 = (x: number) => (x >= 100 ? fmtInt(x) : x >= 10 ? x.toFixed(1) : x.toFixed(2));

function poolText(p: PoolChoice): string {
  const q = p.pool;
  const what = [`tp ${q.tp ?? 1}`, `dp-attn ${q.attentionDp}`, `ep ${q.ep}`];
  if (q.maxBatchPerRank !== undefined) what.push(`batch ${q.maxBatchPerRank}`);
  if (q.chunkTokens !== undefined) what.push(`chunk ${q.chunkTokens}`);
  return `${p.role} ${q.instances} x ${q.instanceChips} ${p.chipId} (${what.join(", ")})`;
}

function render(name: string, r: ServePlanResult, wallS: number, threads: number): string {
  const out: string[] = [];
  const per = r.objective === "perChip" ? "chip" : r.objective === "perDollar" ? "USD/h" : "W";
  out.push(
    `plan serve: ${name}: ${f1(r.ratePerS)} requests/s offered, targets TTFT p${r.percentile} <= ${r.targets.ttftMs} ms and TPOT p${r.percentile} <= ${r.targets.tpotMs} ms, maximising goodput per ${per}`,
  );
  out.push(
    `  ${fmtInt(r.screened)} pool layouts screened with the serving cost model -> ${fmtInt(r.feasible)} deployments meet the targets on paper; ${r.rechecked.length} re-checked with the request simulator in ${wallS.toFixed(1)} s on ${threads} thread${threads > 1 ? "s" : ""}${r.cancelled ? " (stopped early)" : ""}`,
  );
  const rows = r.rechecked.map((c, i) => [
    String(i + 1),
    c.mode,
    fmtInt(c.chips),
    c.simulated ? f1(c.simulated.ttftMs) : "-",
    c.simulated ? f1(c.simulated.tpotMs) : "-",
    c.simulated?.meetsTargets ? "yes" : "no",
    c.simulated ? f1(c.simulated.goodputPerS) : "-",
    c.simulated ? c.simulated.score.toPrecision(3) : "-",
    c.pools.map(poolText).join("; "),
  ]);
  out.push(
    "",
    table(
      [
        [
          "#",
          "mode",
          "chips",
          `TTFT p${r.percentile} ms`,
          `TPOT p${r.percentile} ms`,
          "meets",
          "goodput req/s",
          `per ${per}`,
          "pools",
        ],
        ...rows,
      ],
      { header: true, indent: 2 },
    ),
  );
  const best = (mode: string) => r.rechecked.find((c) => c.mode === mode && c.simulated?.meetsTargets);
  const co = best("colocated");
  const di = best("disaggregated");
  if (co && di && co.simulated && di.simulated) {
    const ratio = di.simulated.score / co.simulated.score;
    out.push(
      "",
      `  disaggregated against colocated: ${ratio >= 1 ? `${ratio.toFixed(2)}x` : `${(1 / ratio).toFixed(2)}x less`} goodput per ${per} (${fmtInt(di.chips)} chips against ${fmtInt(co.chips)})`,
    );
  }
  if (r.winner)
    out.push(
      `  winner: ${r.winner.mode}, ${fmtInt(r.winner.chips)} chips: ${r.winner.pools.map(poolText).join("; ")}`,
    );
  else
    out.push(
      "  no re-checked deployment met the targets: relax the targets, lower the rate, or allow more chips",
    );
  return `${out.join("\n")}\n`;
}

const json = (c: ServeCandidate) => ({
  mode: c.mode,
  chips: c.chips,
  spend: c.spend,
  analytic: { ttftS: c.ttftS, tpotS: c.tpotS },
  pools: c.pools.map((p) => ({
    ...p.pool,
    role: p.role,
    chip: p.chipId,
    chips: p.chips,
    stepS: p.stepS,
    utilisation: p.utilisation,
  })),
  simulated: c.simulated ?? null,
  serving: c.serving,
});

export function registerPlanServe(plan: Command): void {
  plan
    .command("serve")
    .description(
      "best serving deployment: colocated or disaggregated, pool layouts (TP, attention-DP, EP), sizes and batch caps within TTFT/TPOT targets",
    )
    .argument(
      "<scenario>",
      "scenario file with `system`, `model` and a `serving` section (workload, slo); optional plan.serve",
    )
    .option("--objective <o>", "perChip, perDollar or perWatt (goodput per ...)")
    .option("--percentile <p>", "50, 90 or 99: the percentile the targets apply to")
    .option("--modes <list>", "colocated,disaggregated")
    .option("--recheck <n>", "candidates re-checked with the request simulator (default 4)")
    .option("--requests <n>", "requests per re-check simulation (default: the workload's, at most 4,000)")
    .option("--threads <n>", "worker threads for the re-checks (default: every core)")
    .option("--time-limit <s>", "stop after this many seconds with what was re-checked")
    .option("--emit <file>", "write the winner as a scenario that `zettasim serve` runs as is")
    .option("--json", "print JSON")
    .action(
      action(async (arg: string, flags: Flags) => {
        const sc = withFlags(readScenario(arg), flags, arg);
        const run = planExecutor<ServeCheckTask, ServeCheckResult>(true, flags.threads);
        const stop = stopControls(numberFlag("time-limit", flags.timeLimit, { positive: true }));
        const t0 = performance.now();
        let r: ServePlanResult;
        try {
          r = await planServe({ scenario: sc }, { executor: run.executor, signal: stop.signal });
        } catch (e) {
          if (e instanceof ZettasimError && e.file === undefined) throw new ZettasimError(e.issues, arg);
          throw e;
        } finally {
          stop.done();
          await run.close();
        }
        const wallS = (performance.now() - t0) / 1000;
        if (flags.emit !== undefined && r.winner) {
          const { plan: _p, ...rest } = sc.file;
          const file = { ...rest, name: `${sc.name} (planned deployment)`, serving: r.winner.serving };
          writeFileSync(
            flags.emit,
            `# Written by zettasim plan serve: the best deployment found for ${sc.name}.\n# Run it with: zettasim serve ${flags.emit}\n${stringify(file)}`,
          );
        }
        if (flags.json) {
          printJson({
            scenario: sc.name,
            system: sc.system.id,
            wallS,
            threads: run.threads,
            ...r,
            candidates: r.candidates.map(json),
            rechecked: r.rechecked.map(json),
            winner: r.winner ? json(r.winner) : null,
          });
        } else process.stdout.write(render(sc.name, r, wallS, run.threads));
        if (flags.emit !== undefined && !r.winner) {
          throw new ZettasimError([
            {
              path: ["--emit"],
              message: "no deployment met the targets, so nothing was written",
              value: flags.emit,
              expected: "a feasible deployment",
            },
          ]);
        }
      }),
    );
}
