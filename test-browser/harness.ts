// Shared set-up of the browser tests: the built app served on 127.0.0.1 (a free port), Debian's Chromium driven by
// playwright-core, the CLI run on the same scenario files, and helpers to load pages and check what they show.
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { deflateRawSync } from "node:zlib";
import { type Browser, chromium, type Page } from "playwright-core";
import { startWebServer, type WebServer } from "../cli/web-server.js";

export const ROOT = new URL("..", import.meta.url).pathname;
export const RESULTS = join(ROOT, "test-results", "browser");
const CLI = join(ROOT, "dist", "cli", "main.js");

/** Debian's Chromium (CHROMIUM_PATH overrides); .ci/run installs it with apt-get when missing. */
export function chromiumPath(): string {
  const p =
    process.env.CHROMIUM_PATH ??
    ["/usr/bin/chromium", "/usr/bin/chromium-browser"].find((x) => existsSync(x));
  if (!p || !existsSync(p))
    throw new Error("Chromium not found: apt-get install -y chromium (or set CHROMIUM_PATH)");
  return p;
}

export interface Harness {
  web: WebServer;
  browser: Browser;
  close(): Promise<void>;
}

/** Starts the server on a free port and the browser. Needs `npm run build` (dist/web, dist/cli). */
export async function start(): Promise<Harness> {
  for (const f of [join(ROOT, "dist", "web", "index.html"), CLI])
    if (!existsSync(f)) throw new Error(`${f} is missing: run npm run build first`);
  mkdirSync(RESULTS, { recursive: true });
  const web = await startWebServer({ port: 0, root: join(ROOT, "dist", "web") });
  const browser = await chromium.launch({
    executablePath: chromiumPath(),
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
  return {
    web,
    browser,
    close: async () => {
      await browser.close();
      await web.close();
    },
  };
}

/** A page that records console errors and uncaught exceptions. */
export async function openPage(
  h: Harness,
  hash: string,
  opts: { hardwareConcurrency?: number } = {},
): Promise<{ page: Page; errors: string[] }> {
  const page = await h.browser.newPage({ viewport: { width: 1440, height: 1000 }, acceptDownloads: true });
  // A page that believes it has more cores than this machine (the planner sizes its worker pool from the count).
  if (opts.hardwareConcurrency !== undefined)
    await page.addInitScript(
      (n) => Object.defineProperty(navigator, "hardwareConcurrency", { get: () => n }),
      opts.hardwareConcurrency,
    );
  const errors: string[] = [];
  page.on("console", (m) => {
    if (m.type() === "error") errors.push(`console: ${m.text()}`);
  });
  page.on("pageerror", (e) => errors.push(`pageerror: ${e.message}`));
  page.on("requestfailed", (r) => errors.push(`request failed: ${r.url()} ${r.failure()?.errorText}`));
  page.on("worker", (w) =>
    w.on("console", (m) => m.type() === "error" && errors.push(`worker: ${m.text()}`)),
  );
  await page.goto(h.web.url + hash);
  return { page, errors };
}

/** The URL hash for a page and a scenario text, as the app writes it (deflate-raw, base64url). */
export function hashFor(page: string, text?: string, extra = ""): string {
  const s = text === undefined ? "" : `s=${deflateRawSync(Buffer.from(text)).toString("base64url")}`;
  const q = [s, extra].filter(Boolean).join("&");
  return `#/${page}${q ? `?${q}` : ""}`;
}

export const example = (name: string) => readFileSync(join(ROOT, "examples", name), "utf8");

/** Waits for a result's JSON view (attached, even when folded) and returns its text. */
export async function jsonText(page: Page, testid: string, timeout = 240_000): Promise<string> {
  const loc = page.locator(`[data-testid="${testid}"]`);
  await loc.waitFor({ state: "attached", timeout });
  return (await loc.textContent()) ?? "";
}

/** Runs the CLI on a scenario text saved as scenario.yaml in a fresh folder (`dir`, where its files land), as a user would. */
export function cli(
  args: string[],
  text?: string,
): { stdout: string; stderr: string; status: number; dir: string } {
  const dir = mkdtempSync(join(tmpdir(), "zettasim-browser-"));
  if (text !== undefined) writeFileSync(join(dir, "scenario.yaml"), text);
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd: dir, encoding: "utf8", maxBuffer: 64 << 20 });
  return { stdout: r.stdout, stderr: r.stderr, status: r.status ?? -1, dir };
}

/** The CLI's --json output with its wall-clock field removed, printed as the CLI prints JSON. */
export function withoutWall(json: string): string {
  const v = JSON.parse(json);
  delete v.wallS;
  return JSON.stringify(v, null, 2);
}

/** Saves what a button downloads (by its accessible name or test id) and returns its text. */
export async function downloadOf(page: Page, button: { name: string } | { testId: string }): Promise<string> {
  const loc =
    "name" in button ? page.getByRole("button", { name: button.name }) : page.getByTestId(button.testId);
  const [d] = await Promise.all([page.waitForEvent("download"), loc.click()]);
  return readFileSync(await d.path(), "utf8");
}

/** Saves the scenario the page offers as "Download YAML" and returns its text. */
export const downloadYaml = (page: Page) => downloadOf(page, { name: "Download YAML" });

/**
 * Fraction of a screenshot's pixels that differ from its most common colour, and how many distinct colours it
 * has: a blank or broken page has almost none of either. Decoded by the browser itself (no image library).
 */
export async function inkOf(h: Harness, png: Buffer): Promise<{ ink: number; colours: number }> {
  const page = await h.browser.newPage();
  try {
    return await page.evaluate(async (b64) => {
      const img = new Image();
      img.src = `data:image/png;base64,${b64}`;
      await img.decode();
      const c = document.createElement("canvas");
      c.width = img.width;
      c.height = img.height;
      const ctx = c.getContext("2d") as CanvasRenderingContext2D;
      ctx.drawImage(img, 0, 0);
      const d = ctx.getImageData(0, 0, c.width, c.height).data;
      const counts = new Map<number, number>();
      for (let i = 0; i < d.length; i += 16) {
        const k = (d[i] << 16) | (d[i + 1] << 8) | d[i + 2];
        counts.set(k, (counts.get(k) ?? 0) + 1);
      }
      const total = d.length / 16;
      const top = Math.max(...counts.values());
      return { ink: 1 - top / total, colours: counts.size };
    }, png.toString("base64"));
  } finally {
    await page.close();
  }
}

/** Runs a command and returns stdout (for version strings in reports). */
export const sh = (cmd: string, args: string[]) => execFileSync(cmd, args, { encoding: "utf8" });
