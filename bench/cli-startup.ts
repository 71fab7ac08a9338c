// Benchmark: the CLI's start-up, `zettasim spec atlas-950-superpod` from the built bundle (dist/cli/main.js), against
// a bare `node -e ""` on the same machine: wall clock and CPU seconds per run (median and best of N), with the load
// average. Target (issue #11): at most 0.3 s wall. Needs `npm run build`. ZETTASIM_CLI_DIST=<dir> measures another
// build (say, main's) under the same conditions; ZETTASIM_BENCH_RUNS sets N (default 9).
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { loadavg } from "node:os";
import { join } from "node:path";

const root = new URL("..", import.meta.url).pathname;
const dist = process.env.ZETTASIM_CLI_DIST ?? join(root, "dist");
const main = join(dist, "cli", "main.js");
const runs = Number(process.env.ZETTASIM_BENCH_RUNS ?? 9);
if (!existsSync(main)) {
  console.log("cli-startup bench skipped: needs `npm run build`");
  process.exit(0);
}

const tick = Number(spawnSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).stdout) || 100;

/**
 * CPU seconds (user + system) of this process's children that have been waited for, from /proc/self/stat's cutime
 * and cstime: the work a run did, which on a shared machine says more than its wall time. NaN off Linux.
 */
function childrenCpuS(): number {
  if (!existsSync("/proc/self/stat")) return Number.NaN;
  const stat = readFileSync("/proc/self/stat", "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return (Number(fields[13]) + Number(fields[14])) / tick;
}

/** Runs `node args` N times; returns each run's wall and CPU seconds. Exits 1 if a run fails. */
function measure(args: string[]): { wallS: number[]; cpuS: number[] } {
  const wallS: number[] = [];
  const cpuS: number[] = [];
  for (let i = 0; i < runs; i++) {
    const cpu0 = childrenCpuS();
    const t0 = performance.now();
    const r = spawnSync(process.execPath, args, { stdio: ["ignore", "ignore", "pipe"], encoding: "utf8" });
    wallS.push((performance.now() - t0) / 1000);
    cpuS.push(childrenCpuS() - cpu0);
    if (r.status !== 0) {
      console.error(`node ${args.join(" ")} failed (${r.status}): ${r.stderr}`);
      process.exit(1);
    }
  }
  return { wallS, cpuS };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;
const best = (xs: number[]) => Math.min(...xs);
const f = (s: number) => s.toFixed(2);

const load0 = loadavg()[0] ?? 0;
const bare = measure(["-e", ""]);
const spec = measure([main, "spec", "atlas-950-superpod"]);
const load1 = loadavg()[0] ?? 0;
console.log(
  `CLI start-up, ${runs} runs each, load average ${load0.toFixed(1)} -> ${load1.toFixed(1)} (${dist})`,
);
for (const [what, m] of [
  ['node -e ""', bare],
  ["zettasim spec atlas-950-superpod", spec],
] as const)
  console.log(
    `  ${what.padEnd(34)} wall median ${f(median(m.wallS))} s, best ${f(best(m.wallS))} s; ` +
      `CPU median ${f(median(m.cpuS))} s, best ${f(best(m.cpuS))} s`,
  );
console.log(
  `  spec over bare node: wall ${f(median(spec.wallS) - median(bare.wallS))} s, CPU ${f(median(spec.cpuS) - median(bare.cpuS))} s (medians); target: spec at most 0.30 s wall`,
);
