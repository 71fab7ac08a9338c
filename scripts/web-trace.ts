// Profiles one cold load of the web app with Chromium's performance trace: writes the trace (open it in Perfetto or
// DevTools) and prints the page's long tasks, on its main thread and its workers, from the first request on.
// Needs `npm run build` and Debian's chromium. Usage: tsx scripts/web-trace.ts [trace.json]
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { chromium } from "playwright-core";
import { startWebServer } from "../cli/web-server.js";

interface TraceEvent {
  name: string;
  ph: string;
  pid: number;
  tid: number;
  ts: number;
  dur?: number;
  args?: { name?: string; data?: { url?: string; scriptName?: string } };
}

const out = process.argv[2] ?? "web-trace.json";
const root = new URL("..", import.meta.url).pathname;
const web = await startWebServer({
  port: 0,
  root: process.env.ZETTASIM_WEB_DIR ?? join(root, "dist", "web"),
});
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
  // As bench/web.ts does: without the omnibox-popup renderer Chromium starts with each new window.
  args: [
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-features=WebUIOmniboxPopup,WebUIOmniboxAimPopup,WebUIOmniboxFullPopup",
  ],
});
try {
  const page = await (await browser.newContext()).newPage();
  await page.goto("about:blank");
  await browser.startTracing(page, {
    categories: ["devtools.timeline", "disabled-by-default-devtools.timeline", "v8.execute", "v8", "loading"],
  });
  await page.goto(`${web.url}#/train`);
  await page.waitForSelector('[data-kpi="step-time"]', { timeout: 120_000 });
  await page.waitForTimeout(500);
  const buf = await browser.stopTracing();
  writeFileSync(out, buf);
  const marks = (await page.evaluate("window.__zettasim")) as { firstResultMs: number };
  const events = (JSON.parse(buf.toString()) as { traceEvents: TraceEvent[] }).traceEvents;
  const pid = events.find((e) => String(e.args?.data?.url ?? "").includes("/assets/"))?.pid;
  const thread = new Map<string, string>();
  for (const e of events)
    if (e.ph === "M" && e.name === "thread_name") thread.set(`${e.pid}:${e.tid}`, e.args?.name ?? "");
  const mine = events.filter((e) => e.pid === pid);
  const t0 = Math.min(...mine.filter((e) => e.name === "ResourceSendRequest").map((e) => e.ts));
  console.log(`trace written to ${out}; first result on screen at ${marks.firstResultMs.toFixed(0)} ms`);
  console.log("start ms   dur ms  thread            event");
  const long = mine
    .filter((e) => e.ph === "X" && (e.dur ?? 0) >= 15_000 && !/RunTask|StackGuard|Interrupt|GC/.test(e.name))
    .filter((e) => /CrRendererMain|DedicatedWorker|ThreadPool/.test(thread.get(`${e.pid}:${e.tid}`) ?? ""));
  for (const e of long.sort((a, b) => a.ts - b.ts)) {
    const script = String(e.args?.data?.url ?? e.args?.data?.scriptName ?? "").replace(/.*\//, "");
    const th = (thread.get(`${e.pid}:${e.tid}`) ?? "").slice(0, 16).padEnd(16);
    console.log(
      `${((e.ts - t0) / 1000).toFixed(0).padStart(8)} ${((e.dur ?? 0) / 1000).toFixed(0).padStart(8)}  ${th}  ${e.name} ${script}`,
    );
  }
} finally {
  await browser.close();
  await web.close();
}
