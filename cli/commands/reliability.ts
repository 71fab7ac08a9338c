// `zettasim reliability <scenario>`: goodput, interruptions and availability of a training run once parts fail.
import { existsSync } from "node:fs";
import type { Command } from "commander";
import { systemIds } from "../../src/catalog/resolve.js";
import { ZettasimError } from "../../src/core/errors.js";
import { fmtDuration, fmtInt, fmtSI } from "../../src/core/units.js";
import { RELIABILITY_LIMITS } from "../../src/reliability/estimate.js";
import { assembleReport, type ReliabilityReport } from "../../src/reliability/report.js";
import { reliabilitySetup } from "../../src/reliability/scenario.js";
import { startReliability } from "../../src/report/results.js";
import { parseText } from "../../src/scenario/load.js";
import { action, numberFlag, printJson, readScenario, readTextFile, seedFlag } from "../io.js";
import { progressOnStderr } from "../progress.js";

/** The scenario as plain JSON (what queue workers are sent): the file's contents, or `{system}` for a catalog id. */
function scenarioValue(arg: string): Record<string, unknown> {
  if (systemIds().includes(arg) && !existsSync(arg)) return { system: arg };
  return parseText(readTextFile(arg), arg).value as Record<string, unknown>;
}

import { dur, lemonNodesLine, num, pct, perKindTable } from "../../src/report/tables.js";
import { table, textTable } from "../table.js";

interface Flags {
  days?: string;
  wallDays?: string;
  trials?: string;
  seed?: string;
  queue?: string;
  trialsPerJob?: string;
  json?: boolean;
}

export function registerReliability(program: Command): void {
  program
    .command("reliability")
    .description("goodput, effective time to train, interruptions and availability once components fail")
    .argument("<scenario>", "scenario file (.yaml/.json) or catalog system id")
    .option("--days <n>", "failure-free time to train, days (overrides the scenario)")
    .option("--wall-days <n>", "simulate a fixed wall-clock window of N days instead")
    .option("--trials <n>", "Monte Carlo trials (default: scenario's, else 1000)")
    .option("--seed <n>", "random seed (default: scenario's, else 1)")
    .option(
      "--queue <url>",
      "run the trials as jobs on this Redis (redis://HOST:PORT) for `zettasim worker`s",
    )
    .option("--trials-per-job <n>", "trials per queue job (default 250)")
    .option("--json", "print JSON")
    .action(
      action(async (arg: string, flags: Flags) => {
        // Flags first: a bad number is named before the scenario is read or anything runs.
        const over = {
          idealTrainingDays: numberFlag("days", flags.days, { positive: true, max: 36500 }),
          wallDays: numberFlag("wall-days", flags.wallDays, { positive: true, max: 36500 }),
          trials: numberFlag("trials", flags.trials, {
            integer: true,
            min: 1,
            max: RELIABILITY_LIMITS.maxTrials,
          }),
          seed: seedFlag(flags.seed),
        };
        // Checked with or without a queue, so a mistyped or misplaced value is never silently ignored.
        const trialsPerJob = numberFlag("trials-per-job", flags.trialsPerJob, { integer: true, min: 1 });
        if (trialsPerJob !== undefined && flags.queue === undefined)
          throw new ZettasimError([
            {
              path: ["--trials-per-job"],
              message: "trials are split into jobs only on a queue",
              value: trialsPerJob,
              expected: "--queue <url> with --trials-per-job",
            },
          ]);
        const sc = readScenario(arg);
        if (flags.queue !== undefined) {
          // The trials run as blocks on the queue; the merged figures equal a local run's.
          const setup = reliabilitySetup(sc, over);
          // The queue client (BullMQ, ioredis) loads only when asked for.
          const { checkRedisUrl } = await import("../../node/sweep/queue.js");
          const { trialsOnQueue } = await import("../../node/sweep/trials.js");
          const mc = await trialsOnQueue(
            checkRedisUrl(flags.queue, "--queue"),
            {
              scenario: scenarioValue(arg),
              name: sc.name,
              trials: setup.trials,
              seed: setup.seed,
              idealTrainingDays: over.idealTrainingDays,
              wallDays: over.wallDays,
            },
            { trialsPerJob },
          );
          const report = {
            scenario: sc.name,
            system: sc.system.id,
            ...assembleReport(setup.model, setup.run, mc),
          };
          if (flags.json) return printJson(report);
          process.stdout.write(render(sc.name, sc.system.name, setup.runFrom, setup.checkpointFrom, report));
          return;
        }
        const bar = progressOnStderr(!flags.json, "Monte Carlo", "trials");
        const run = startReliability(sc, over, (d) => bar?.update(d), {
          trials: flags.trials === undefined ? undefined : "--trials",
          run: flags.wallDays !== undefined ? "--wall-days" : flags.days !== undefined ? "--days" : undefined,
        });
        // A long run says what it will take before it starts.
        if (run.estimate.wallS > 5 && !flags.json)
          process.stderr.write(
            `zettasim: about ${run.estimate.events.toExponential(1)} failure events, ${fmtDuration(run.estimate.wallS)} estimated (limit ${RELIABILITY_LIMITS.maxEvents.toExponential(0)} events)\n`,
          );
        bar?.start(run.setup.trials, 0);
        // Runs the Monte Carlo in chunks, yielding to the event loop so the progress bar can redraw on stderr.
        const chunk = Math.max(1, Math.ceil(run.setup.trials / 50));
        while (!run.sim.done()) {
          run.sim.step(chunk);
          if (bar) await new Promise((r) => setImmediate(r));
        }
        bar?.stop();
        const report = run.finish();
        if (flags.json) return printJson(report);
        const { runFrom, checkpointFrom } = run.setup;
        process.stdout.write(render(sc.name, sc.system.name, runFrom, checkpointFrom, report));
      }),
    );
}

/** One table row: the Monte Carlo mean, its p10/p50/p90, and the closed form, each shown by `show`. */
function spreadRow(
  label: string,
  show: (x: number) => string,
  mean: number,
  spread: { p10: number; p50: number; p90: number },
  closedForm: number,
): string[] {
  return [label, show(mean), show(spread.p10), show(spread.p50), show(spread.p90), show(closedForm)];
}

function render(name: string, system: string, runFrom: string, ckFrom: string, r: ReliabilityReport): string {
  const out: string[] = [];
  const window =
    r.run.wallS !== undefined
      ? `a ${fmtDuration(r.run.wallS)} wall-clock window`
      : `${fmtDuration(r.run.idealTrainingS)} of failure-free training`;
  out.push(`${name}: ${fmtInt(r.jobChips)} chips of ${system}, ${window} (${runFrom})`);
  out.push("");
  const s = r.spread;
  const u = r.interruptions.unexpected;
  const cf = r.closedForm;
  out.push(
    table(
      [
        ["", `Monte Carlo (${fmtInt(r.monteCarlo.trials)} trials)`, "p10", "p50", "p90", "closed form"],
        spreadRow("goodput", pct, r.goodput, s.goodput, cf.goodput),
        spreadRow(
          "effective time to train",
          fmtDuration,
          r.effectiveTimeToTrainS,
          s.effectiveTimeToTrainS,
          cf.effectiveTimeToTrainS,
        ),
        spreadRow("availability", pct, r.availability, s.availability, cf.availability),
        spreadRow("unexpected interruptions", num, u.mean, u, cf.interruptions.unexpected),
      ],
      { header: true, indent: 2 },
    ),
  );
  const f = r.fleetSpread;
  out.push(
    `  if the fleet fails like other fleets' studies (rates x${f.rateLowFactor.toFixed(2)} - x${f.rateHighFactor.toFixed(2)}, 80% of ${f.cases} figures from ${f.studies} studies, ${pct(f.looCoverage)} covered leave-one-study-out): goodput ${pct(f.goodputLow)} - ${pct(f.goodputHigh)}, time to train ${fmtDuration(f.effectiveTimeToTrainLowS)} - ${fmtDuration(f.effectiveTimeToTrainHighS)}, ${num(f.interruptionsLow)} - ${num(f.interruptionsHigh)} interruptions (closed form)`,
  );
  const e = r.interruptions.byEffect;
  out.push(
    `  by effect (mean): ${num(e.restart)} restarts, ${num(e.migrate)} spare migrations, ${num(e.shrink)} elastic shrinks; ${num(e.degrade)} rerouted without interruption`,
  );
  out.push(
    `  mean up-time between failures ${dur(r.mtbfS)}, between interruptions ${dur(r.mtbiS)}, between full restarts ${dur(r.mtbRestartS)}`,
  );
  const ck = r.checkpoint;
  out.push(
    `  checkpoint ${fmtSI(ck.sizeBytes, "B")} (${ckFrom}) ${ck.inMemory ? "in memory" : "to storage"} every ${fmtDuration(ck.intervalS)}${ck.youngDaly ? " (Young/Daly)" : ""}; write ${fmtDuration(ck.writeS)}, reload ${fmtDuration(ck.reloadS)}`,
  );
  const rc = r.recovery;
  out.push(
    `  recovery: detect ${fmtDuration(rc.detectionS)}, restart ${fmtDuration(rc.restartS)}, migrate ${fmtDuration(rc.migrationS)}, repair ${fmtDuration(rc.repairS)}`,
  );
  if (r.lemonNodes) out.push(`  ${lemonNodesLine(r.lemonNodes)}`);
  out.push(
    `  lost work ${fmtDuration(cf.lostWorkS)}, downtime ${fmtDuration(cf.downtimeS)}, checkpoint writes ${fmtDuration(cf.checkpointOverheadS)}, degraded ${dur(cf.degradedS)} (closed form)`,
  );
  out.push("");
  out.push("  per component kind (expected over the run, closed form):");
  out.push(textTable(perKindTable(r.perKind), 4));
  if (r.inventory.assumptions.length) {
    out.push("");
    out.push("  assumptions:");
    for (const a of r.inventory.assumptions) out.push(`    - ${a}`);
  }
  return `${out.join("\n")}\n`;
}
