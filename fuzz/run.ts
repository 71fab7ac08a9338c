// The scenario fuzzer (`npm run fuzz`): seeded inputs through the loader and every engine on worker threads, with a
// watchdog that counts any input running past the hang limit. Prints the figures; exits 1 on any finding.
//
//   npm run fuzz                                   short run: 20,000 loader inputs, 2,000 through the engines
//   npm run fuzz -- --loader 1000000 --engines 100000   the benchmark run (bench/fuzz.ts)
//   npm run fuzz -- --show 1234                    prints input 1234 of the run and what it does
import { readFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import { runInput } from "./engines.js";
import { fuzzInput, seedCorpus, vocabulary } from "./mutate.js";
import type { WorkerJob, WorkerMessage } from "./worker.js";

const ROOT = new URL("../", import.meta.url);

/** What a run found. */
export interface FuzzReport {
  inputs: number;
  withEngines: number;
  results: number;
  inputErrors: number;
  bugs: { index: number; stage: string; what: string }[];
  hangs: { index: number; stage: string }[];
  /** Slowest input, ms, and which. */
  slowestMs: number;
  slowestIndex: number;
  wallS: number;
  /** Inputs that ran each engine to a result. */
  engineRuns: Record<string, number>;
}

interface Options {
  seed: number;
  loader: number;
  engines: number;
  threads: number;
  hangMs: number;
  onProgress?: (done: number, total: number) => void;
}

/** CPU seconds (user + system) a thread of this process has used, from /proc (Linux); NaN when unreadable. */
function threadCpuS(tid: number): number {
  try {
    const stat = readFileSync(`/proc/self/task/${tid}/stat`, "utf8");
    const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(f[11]) + Number(f[12])) / CLK_TCK;
  } catch {
    return Number.NaN;
  }
}
/** Clock ticks per second of /proc's CPU times (100 on Linux). */
const CLK_TCK = 100;
/** Wall time an input may take, as a multiple of the hang limit, before it counts as a hang whatever its CPU time. */
const WALL_BACKSTOP = 10;

/**
 * Runs inputs 0..loader-1 (the first `engines` of them through the engines too) on `threads` workers. An input
 * that uses more than `hangMs` of its worker thread's CPU time is recorded as a hang (CPU time, not wall time:
 * on a machine shared by many jobs an input's wall time says how busy the machine is; off Linux, wall time),
 * as is one running past WALL_BACKSTOP x `hangMs` of wall time; its worker is replaced and the range goes on.
 */
export async function fuzz(o: Options): Promise<FuzzReport> {
  const t0 = performance.now();
  const rep: FuzzReport = {
    inputs: 0,
    withEngines: 0,
    results: 0,
    inputErrors: 0,
    bugs: [],
    hangs: [],
    slowestMs: 0,
    slowestIndex: -1,
    wallS: 0,
    engineRuns: {},
  };
  // Ranges: the engine inputs split across threads first, then the loader-only inputs.
  const ranges: WorkerJob[] = [];
  const split = (from: number, to: number, engines: boolean) => {
    const n = to - from;
    const per = Math.ceil(n / o.threads);
    for (let s = from; s < to; s += per)
      ranges.push({ seed: o.seed, start: s, end: Math.min(to, s + per), engines, root: ROOT.href });
  };
  split(0, o.engines, true);
  split(o.engines, o.loader, false);
  const total = o.loader;
  const runRange = (job: WorkerJob): Promise<void> =>
    new Promise((resolve) => {
      const w = new Worker(new URL("./worker-entry.mjs", import.meta.url), { workerData: job });
      let current = -1;
      let stage = "load";
      let began = 0;
      let tid = -1;
      let cpu0 = 0;
      const cpuMs = () => (tid >= 0 ? (threadCpuS(tid) - cpu0) * 1000 : Number.NaN);
      const timer = setInterval(() => {
        if (current < 0) return;
        const wallMs = performance.now() - began;
        const usedMs = cpuMs();
        const over = Number.isNaN(usedMs) ? wallMs > o.hangMs : usedMs > o.hangMs;
        if (over || wallMs > WALL_BACKSTOP * o.hangMs) {
          rep.hangs.push({ index: current, stage });
          rep.inputs++;
          clearInterval(timer);
          const next = current + 1;
          w.terminate().then(() =>
            (next < job.end ? runRange({ ...job, start: next }) : Promise.resolve()).then(resolve),
          );
        }
      }, 250);
      w.on("message", (m: WorkerMessage) => {
        if (m.type === "thread") {
          tid = m.tid;
        } else if (m.type === "begin") {
          current = m.index;
          stage = "load";
          began = performance.now();
          cpu0 = tid >= 0 ? threadCpuS(tid) : 0;
        } else if (m.type === "stage") {
          stage = m.stage;
        } else if (m.type === "done") {
          current = -1;
          rep.inputs++;
          if (job.engines) rep.withEngines++;
          if (m.ms > rep.slowestMs) {
            rep.slowestMs = m.ms;
            rep.slowestIndex = m.index;
          }
          if (m.kind === "bug") rep.bugs.push({ index: m.index, stage: m.stage ?? "", what: m.what ?? "" });
          else if (m.kind === "input-error") rep.inputErrors++;
          else {
            rep.results++;
            for (const e of m.engines ?? []) rep.engineRuns[e] = (rep.engineRuns[e] ?? 0) + 1;
          }
          if (rep.inputs % 1000 === 0) o.onProgress?.(rep.inputs, total);
        } else {
          clearInterval(timer);
          resolve();
        }
      });
      w.on("error", (e) => {
        rep.bugs.push({ index: current, stage: "worker", what: String(e?.stack ?? e) });
        rep.inputs++;
        clearInterval(timer);
        const next = current + 1;
        (current >= 0 && next < job.end ? runRange({ ...job, start: next }) : Promise.resolve()).then(
          resolve,
        );
      });
    });
  const queue = ranges.slice();
  await Promise.all(
    Array.from({ length: o.threads }, async () => {
      for (let job = queue.shift(); job; job = queue.shift()) await runRange(job);
    }),
  );
  rep.bugs.sort((a, b) => a.index - b.index);
  rep.wallS = (performance.now() - t0) / 1000;
  return rep;
}

function arg(name: string, dflt: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : dflt;
}

async function main() {
  const seed = arg("seed", 1);
  const show = arg("show", -1);
  if (show >= 0) {
    const corpus = seedCorpus(ROOT);
    const text = fuzzInput(corpus, vocabulary(corpus), seed, show);
    process.stdout.write(`${text}\n---\n`);
    const t0 = performance.now();
    const out = runInput(text);
    process.stdout.write(`${JSON.stringify(out, null, 2)}\n${(performance.now() - t0).toFixed(0)} ms\n`);
    return;
  }
  const loader = arg("loader", 20_000);
  const rep = await fuzz({
    seed,
    loader,
    engines: Math.min(loader, arg("engines", 2_000)),
    threads: arg("threads", Math.max(1, availableParallelism())),
    hangMs: arg("hang-ms", 10_000),
    onProgress: (d, t) =>
      process.stderr.write(`\r  ${d.toLocaleString("en-US")} / ${t.toLocaleString("en-US")}`),
  });
  process.stderr.write("\n");
  const engines = Object.entries(rep.engineRuns)
    .map(([k, v]) => `${k} ${v.toLocaleString("en-US")}`)
    .join(", ");
  const lines = [
    `fuzz seed ${seed}: ${rep.inputs.toLocaleString("en-US")} inputs through the loader, ${rep.withEngines.toLocaleString("en-US")} through the engines, ${rep.wallS.toFixed(0)} s wall`,
    `  ${rep.results.toLocaleString("en-US")} results, ${rep.inputErrors.toLocaleString("en-US")} input errors naming their field or line`,
    `  engine runs to a result: ${engines || "none"}`,
    `  slowest input ${rep.slowestMs.toFixed(0)} ms (#${rep.slowestIndex})`,
    `  findings: ${rep.bugs.length} uncaught errors or bad outputs, ${rep.hangs.length} hangs over ${arg("hang-ms", 10_000) / 1000} s of CPU time`,
  ];
  for (const b of rep.bugs.slice(0, 30)) lines.push(`    #${b.index} ${b.stage}: ${b.what}`);
  for (const h of rep.hangs.slice(0, 30)) lines.push(`    #${h.index} ${h.stage}: hang`);
  process.stdout.write(`${lines.join("\n")}\n`);
  if (rep.bugs.length + rep.hangs.length > 0) process.exitCode = 1;
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split("/").pop() ?? "")) await main();
