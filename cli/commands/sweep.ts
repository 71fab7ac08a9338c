// `zettasim sweep FILE`: run a command over a grid of scenarios, on this machine's threads or on a Redis queue;
// `zettasim sweep status`: what the queue is working on.
import { dirname, resolve } from "node:path";
import cliProgress from "cli-progress";
import type { Command } from "commander";
import { runLocal } from "../../node/sweep/local.js";
import { Coordinator, checkRedisUrl, sweepOnQueue } from "../../node/sweep/queue.js";
import { summaryText, writeReport } from "../../node/sweep/report.js";
import { RowFile } from "../../node/sweep/rows.js";
import { ZettasimError } from "../../src/core/errors.js";
import { fmtDuration, fmtInt } from "../../src/core/units.js";
import { parseText } from "../../src/scenario/load.js";
import { prepareSweep, type Sweep } from "../../src/sweep/expand.js";
import { action, numberFlag, printJson, readTextFile, threadsFlag } from "../io.js";
import { PlainProgress } from "../progress.js";

interface Flags {
  out?: string;
  threads?: string;
  queue?: string;
  pointsPerTask?: string;
  json?: boolean;
}

type Obj = Record<string, unknown>;

/** Parses YAML or JSON text that must be a mapping; `what` names the file kind in errors. */
function readMapping(path: string, what: string): Obj {
  const text = readTextFile(path);
  if (text.trim() === "")
    throw new ZettasimError([{ path: [], message: "the file is empty", expected: what }], path);
  try {
    return parseText(text, path).value as Obj;
  } catch (e) {
    // parseText speaks of scenarios; a sweep file that is not a mapping gets its own words.
    if (e instanceof ZettasimError && e.issues[0]?.message.includes("must be a mapping"))
      throw new ZettasimError([{ path: [], message: "not a mapping of fields", expected: what }], path);
    throw e;
  }
}

/** Reads and prepares a sweep file; `base: path` is read relative to the sweep file. */
export function readSweep(file: string, pointsPerTask?: number): Sweep {
  const value = readMapping(file, "a sweep file with `base`, `run` and `axes`");
  if (pointsPerTask !== undefined) value.pointsPerTask = pointsPerTask;
  return prepareSweep(value, file, (p) => readMapping(resolve(dirname(file), p), "a scenario"));
}

function progressBar(enabled: boolean): cliProgress.SingleBar | undefined {
  if (!enabled) return undefined;
  return new cliProgress.SingleBar(
    {
      format: "  sweep [{bar}] {value}/{total} points | {speed} points/s | ETA {left}",
      stream: process.stderr,
      clearOnComplete: true,
      fps: 5,
    },
    cliProgress.Presets.shades_classic,
  );
}

/**
 * Progress for the bar: points per second over the last few seconds (points done before this run do not count)
 * and the time left at that rate; "-" until a rate is known.
 */
function progressOf(bar: cliProgress.SingleBar | undefined, plain: PlainProgress | undefined) {
  const window: { t: number; n: number }[] = [];
  let plainTotal = -1;
  return (done: number, total: number) => {
    if (plain) {
      if (plainTotal !== total) plain.start(total, done);
      plainTotal = total;
      plain.update(done);
    }
    if (!bar) return;
    const now = performance.now();
    if (bar.getTotal() !== total) bar.start(total, done, { speed: "-", left: "-" });
    window.push({ t: now, n: done });
    while (window.length > 2 && now - window[1].t > 5000) window.shift();
    const first = window[0];
    const rate = now - first.t > 500 ? ((done - first.n) * 1000) / (now - first.t) : 0;
    bar.update(done, {
      speed: rate > 0 ? fmtInt(rate) : "-",
      left: rate > 0 ? fmtDuration((total - done) / rate).replace(/^0\.00 ns$/, "0 s") : "-",
    });
  };
}

async function runSweep(file: string, flags: Flags): Promise<void> {
  const sweep = readSweep(
    file,
    numberFlag("points-per-task", flags.pointsPerTask, { integer: true, positive: true }),
  );
  const threads = threadsFlag(flags.threads);
  const out = flags.out ?? `${file.replace(/^.*[\\/]/, "").replace(/\.(ya?ml|json)$/i, "")}.jsonl`;
  const queue = flags.queue === undefined ? undefined : checkRedisUrl(flags.queue, "--queue");
  const rows = RowFile.open(out, sweep.id);
  const already = rows.size;
  const bar = progressBar(!flags.json && process.stderr.isTTY === true);
  const t0 = performance.now();
  // Off a terminal (a log, CI): occasional plain lines with the time left instead of a bar.
  const plain =
    !flags.json && process.stderr.isTTY !== true ? new PlainProgress("sweep", "points") : undefined;
  const progress = progressOf(bar, plain);
  try {
    if (queue === undefined) await runLocal(sweep, rows, { threads, onProgress: progress });
    else await sweepOnQueue(queue, sweep, rows, { onProgress: progress });
  } finally {
    bar?.stop();
    rows.close();
  }
  const elapsedS = (performance.now() - t0) / 1000;
  const all = rows.finish();
  const failed = all.filter((r) => r.error).length;
  const files = writeReport(sweep, all, out);
  const summary = {
    sweep: sweep.id,
    name: sweep.name,
    run: sweep.run.name,
    points: sweep.points,
    done: all.length - failed,
    failed,
    ranNow: all.length - already,
    outFile: out,
    csvFile: files.csv,
    parquetFile: files.parquet,
    charts: files.charts,
    elapsedS,
    where: queue ?? "local",
  };
  if (flags.json) return printJson(summary);
  const lines = [
    `sweep ${sweep.name} (${sweep.id}): ${fmtInt(sweep.points)} points of ${sweep.run.name}, ${fmtInt(summary.done)} done, ${fmtInt(failed)} failed`,
    `  ${fmtInt(summary.ranNow)} ran now (${queue ? `on ${queue}` : "on this machine"}, ${elapsedS.toFixed(2)} s), ${fmtInt(already)} were already in ${out}`,
    `  rows: ${out}  csv: ${files.csv}  parquet: ${files.parquet}`,
    `  charts: ${files.charts.join(", ")}`,
  ];
  const firstError = all.find((r) => r.error)?.error;
  if (firstError) lines.push(`  first failure: ${firstError.message.split("\n").join(" ")}`);
  process.stdout.write(`${lines.join("\n")}\n\n${summaryText(sweep, all)}`);
}

async function showStatus(url: string | undefined, flags: { json?: boolean }): Promise<void> {
  if (url === undefined)
    throw new ZettasimError([
      { path: ["queue"], message: "no Redis address", expected: "zettasim sweep status redis://HOST:PORT" },
    ]);
  const c = new Coordinator(checkRedisUrl(url, "queue"));
  try {
    const specs = await c.status();
    const counts = await c.queue.getJobCounts("waiting", "active", "delayed", "failed", "prioritized");
    const workers = (await c.queue.getWorkers()).length;
    if (flags.json) return printJson({ queue: url, workers, jobs: counts, inProgress: specs });
    const out = [
      `${url}: ${workers} worker${workers === 1 ? "" : "s"}; jobs ${fmtInt((counts.waiting ?? 0) + (counts.prioritized ?? 0))} waiting, ${fmtInt(counts.active ?? 0)} running, ${fmtInt(counts.delayed ?? 0)} retrying, ${fmtInt(counts.failed ?? 0)} failed`,
    ];
    if (specs.length === 0) out.push("  nothing in progress");
    for (const s of specs)
      out.push(
        `  ${s.id}  ${s.kind}  ${s.name}: ${fmtInt(s.stored)} of ${fmtInt(s.total)} stored (${((100 * s.stored) / Math.max(1, s.total)).toFixed(1)}%), started ${new Date(s.createdMs).toISOString()}`,
      );
    process.stdout.write(`${out.join("\n")}\n`);
  } finally {
    await c.close();
  }
}

export function registerSweep(program: Command): void {
  const sweep = program
    .command("sweep")
    .description(
      "run train, simulate, serve or reliability over a grid of scenarios (locally or on a Redis queue)",
    )
    .argument("<file>", "sweep file (.yaml/.json): base scenario, axes, run")
    .option("--out <file>", "JSONL results (resumed when it exists; default <file>.jsonl here)")
    .option("--threads <n>", "worker threads on this machine (default: all cores)")
    .option(
      "--queue <url>",
      "run the points as jobs on this Redis (redis://HOST:PORT) for `zettasim worker`s",
    )
    .option("--points-per-task <n>", "points per thread task or queue job (default: the run's own)")
    .option("--json", "print a JSON summary")
    .action(action((file: string, flags: Flags) => runSweep(file, flags)));
  sweep
    .command("status")
    .description("what a Redis queue is working on: sweeps and Monte Carlo runs in progress, jobs, workers")
    .argument("[url]", "redis://HOST:PORT")
    .option("--json", "print JSON")
    .action(action((url: string | undefined, flags: { json?: boolean }) => showStatus(url, flags)));
}
