// Benchmark: the web app in Chromium: JavaScript size, first result after load, a full-SuperCluster training
// estimate after an edit (request to result in the page), the planner in the page, and the default report's size.
// Needs `npm run build` and Debian's chromium; prints what it measured (times are wall clock on this machine).
// `--first-only` measures the cold loads alone.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { deflateRawSync, gzipSync } from "node:zlib";
import { chromium } from "playwright-core";
import { startWebServer } from "../cli/web-server.js";

const root = new URL("..", import.meta.url).pathname;
// ZETTASIM_WEB_DIR measures another build of the app (say, main's) under the same conditions.
const webDir = process.env.ZETTASIM_WEB_DIR ?? join(root, "dist", "web");
const browserPath = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
if (!existsSync(join(webDir, "index.html")) || !existsSync(browserPath)) {
  console.log("web bench skipped: needs `npm run build` and chromium (apt-get install -y chromium)");
  process.exit(0);
}

/**
 * CPU seconds used so far by this process's descendants that are alive (the browser's processes), from /proc: on a
 * shared machine a wall-clock figure mostly measures the queue for the CPU, this measures the work. Linux only.
 */
function browserCpuS(): number {
  if (!existsSync("/proc/self/stat")) return Number.NaN;
  const tick = Number(spawnSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).stdout) || 100;
  const parentOf = new Map<number, number>();
  const cpu = new Map<number, number>();
  for (const d of readdirSync("/proc").filter((x) => /^\d+$/.test(x))) {
    try {
      // Fields after the command name (which may hold spaces): state ppid ... utime(14) stime(15).
      const stat = readFileSync(`/proc/${d}/stat`, "utf8");
      const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      parentOf.set(Number(d), Number(f[1]));
      cpu.set(Number(d), (Number(f[11]) + Number(f[12])) / tick);
    } catch {
      // The process ended while we read.
    }
  }
  const isDescendant = (pid: number): boolean => {
    for (let p = parentOf.get(pid); p !== undefined && p > 1; p = parentOf.get(p))
      if (p === process.pid) return true;
    return false;
  };
  let sum = 0;
  for (const [pid, s] of cpu) if (isDescendant(pid)) sum += s;
  return sum;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const p90 = (xs: number[]) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.ceil(0.9 * xs.length) - 1)];

// JavaScript size.
let raw = 0;
let gz = 0;
for (const f of readdirSync(join(webDir, "assets")).filter((x) => x.endsWith(".js"))) {
  const b = readFileSync(join(webDir, "assets", f));
  raw += b.length;
  gz += gzipSync(b, { level: 9 }).length;
}
console.log(
  `JavaScript: ${(raw / 1e3).toFixed(1)} kB, ${(gz / 1e3).toFixed(1)} kB gzip (target <= 600 kB gzip)`,
);

const web = await startWebServer({ port: 0, root: webDir });
const browser = await chromium.launch({
  executablePath: browserPath,
  args: [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    // Chromium 156 starts a WebUI renderer for the omnibox popup with each new window (about 2.4 s of CPU, its own
    // UI, not the page's); a user's browser has it running already, so the cold loads below do not pay for it.
    "--disable-features=WebUIOmniboxPopup,WebUIOmniboxAimPopup,WebUIOmniboxFullPopup",
  ],
});
try {
  // First result on screen: a fresh context per load (nothing cached), the default scenario's training page.
  const first: number[] = [];
  const appStart: number[] = [];
  const cpuS: number[] = [];
  const loads = 7;
  for (let i = 0; i < loads; i++) {
    const ctx = await browser.newContext();
    const page = await ctx.newPage();
    const cpu0 = browserCpuS();
    await page.goto(`${web.url}#/train`);
    await page.waitForSelector('[data-kpi="step-time"]', { timeout: 120_000 });
    cpuS.push(browserCpuS() - cpu0);
    const marks = (await page.evaluate("window.__zettasim")) as { firstResultMs: number; appStartMs: number };
    first.push(marks.firstResultMs);
    appStart.push(marks.appStartMs);
    await ctx.close();
  }
  console.log(
    `first result on screen after load (${loads} cold loads, a fresh context each): median ${median(first).toFixed(0)} ms, min ${Math.min(...first).toFixed(0)} ms, max ${Math.max(...first).toFixed(0)} ms (target <= 1,000 ms); the app's code (loaded once the worker has started) began at ${median(appStart).toFixed(0)} ms`,
  );
  console.log(
    `  CPU time the browser spent on that load (all its processes, all cores): median ${(median(cpuS) * 1000).toFixed(0)} ms (load average ${loadavg()[0].toFixed(1)} on ${cpus().length} cores)`,
  );
  if (process.argv.includes("--first-only")) {
    await browser.close();
    await web.close();
    process.exit(0);
  }

  // A full-SuperCluster estimate after an edit: from the change to the new figures in the page.
  const page = await browser.newPage();
  await page.goto(`${web.url}#/train`);
  await page.waitForSelector('[data-testid="json-train"]', { state: "attached", timeout: 120_000 });
  const times: number[] = [];
  for (let i = 0; i < 12; i++) {
    const gbs = i % 2 === 0 ? "131072" : "65536";
    // A string, so no helper a TypeScript runner adds to functions reaches the page.
    const ms = (await page.evaluate(`(async () => {
      const input = document.querySelector('[data-field="training.globalBatchSize"] input');
      const pre = () => document.querySelector('[data-testid="json-train"]')?.textContent ?? "";
      const before = pre();
      const t0 = performance.now();
      input.value = "${gbs}";
      input.dispatchEvent(new Event("change", { bubbles: true }));
      await new Promise((resolve) => {
        const check = () => (pre() !== before ? resolve() : setTimeout(check, 2));
        check();
      });
      return performance.now() - t0;
    })()`)) as number;
    times.push(ms);
  }
  const warm = times.slice(2);
  console.log(
    `full-SuperCluster training estimate after an edit (524,288 chips; from the field's change to the new figures on screen): median ${median(warm).toFixed(0)} ms, p90 ${p90(warm).toFixed(0)} ms`,
  );
  const inPage = Number(await page.locator('[data-testid="page-ms"]').textContent());
  console.log(
    `  of which request to result (worker round trip + estimate): ${inPage.toFixed(1)} ms (target <= 100 ms)`,
  );
  await page.close();

  // The planner in the page.
  const plan = await browser.newPage();
  const text =
    "system: atlas-950-superpod\nmodel: llama3-70b\ntraining: { seqLength: 4096, globalBatchSize: 1024 }\nplan: { chips: { min: 1024, max: 8192 } }\n";
  const s = deflateRawSync(Buffer.from(text)).toString("base64url");
  await plan.goto(`${web.url}#/plan?s=${s}`);
  await plan.waitForSelector('[data-testid="json-plan"]', { state: "attached", timeout: 300_000 });
  const pj = JSON.parse((await plan.locator('[data-testid="json-plan"]').textContent()) ?? "{}");
  console.log(
    `planner in the page (llama3-70b, 1K-8K chips of Atlas 950): ${pj.space.layouts.toLocaleString("en-US")} layouts in ${pj.wallS.toFixed(2)} s on ${pj.threads} Web Worker(s), exact ${pj.exact}`,
  );
  await plan.close();
} finally {
  await browser.close();
  await web.close();
}

// The default scenario's report.
const out = join(mkdtempSync(join(tmpdir(), "zettasim-bench-")), "r.html");
const t0 = performance.now();
const r = spawnSync(process.execPath, [
  join(root, "dist", "cli", "main.js"),
  "report",
  join(root, "examples", "atlas-950-supercluster-train.yaml"),
  "--out",
  out,
  "--quiet",
]);
if (r.status === 0)
  console.log(
    `report.html for examples/atlas-950-supercluster-train.yaml: ${(statSync(out).size / 1e6).toFixed(2)} MB in ${((performance.now() - t0) / 1000).toFixed(1)} s (target <= 2 MB)`,
  );
else console.log(`report failed: ${r.stderr}`);
