// Same inputs, same bytes, everywhere: every example's --json (every command its sections ask for) is computed twice
// in Node and once in Chromium (Debian's, driven by playwright-core, the core bundled by esbuild into a blank page),
// and the three must match byte for byte. Skipped, saying so, when no Chromium is installed (.ci/run installs it).
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { build } from "esbuild";
import { chromium, type Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { type ExampleText, examplesJson, mathSamples } from "./identity.js";

const ROOT = new URL("../../", import.meta.url);

/** Chromium's executable: $CHROMIUM_PATH, else the first of Debian's names on PATH. */
function chromiumPath(): string | undefined {
  if (process.env.CHROMIUM_PATH) return process.env.CHROMIUM_PATH;
  for (const name of ["chromium", "chromium-browser", "google-chrome"]) {
    try {
      const p = execFileSync("which", [name], { encoding: "utf8" }).trim();
      if (p && existsSync(p)) return p;
    } catch {}
  }
  return undefined;
}

const examples: ExampleText[] = readdirSync(new URL("examples/", ROOT))
  .filter((f) => /\.(ya?ml|json)$/.test(f))
  .sort()
  .map((name) => ({ name, text: readFileSync(new URL(`examples/${name}`, ROOT), "utf8") }));

const exe = chromiumPath();

/** Runs `fn` on a blank Chromium page that holds test/browser/identity.ts as `zettasimIdentity`. */
async function inPage(fn: (page: Page) => Promise<void>): Promise<void> {
  const bundle = await build({
    entryPoints: [new URL("test/browser/identity.ts", ROOT).pathname],
    bundle: true,
    format: "iife",
    globalName: "zettasimIdentity",
    platform: "browser",
    target: "es2022",
    write: false,
    logLevel: "silent",
  });
  const browser = await chromium.launch({ executablePath: exe, args: ["--no-sandbox"] });
  try {
    const page = await browser.newPage();
    await page.setContent("<!doctype html><title>zettasim identity</title>");
    await page.addScriptTag({ content: bundle.outputFiles[0].text });
    await fn(page);
  } finally {
    await browser.close();
  }
}

describe.skipIf(exe === undefined)("byte-identical output in Node and Chromium", () => {
  it("every example, every command: two Node runs and one Chromium run agree to the byte", {
    timeout: 900_000,
  }, async () => {
    await inPage(async (page) => {
      // The browser computes in its own process while Node computes its two runs.
      const inBrowser = page.evaluate(
        (xs) =>
          (
            globalThis as unknown as { zettasimIdentity: { examplesJson: typeof examplesJson } }
          ).zettasimIdentity.examplesJson(xs),
        examples,
      );
      const first = await examplesJson(examples);
      const second = await examplesJson(examples);
      const chromiumOut = await inBrowser;
      expect(Object.keys(first).length).toBeGreaterThanOrEqual(examples.length);
      for (const key of Object.keys(first)) {
        expect(second[key], `${key}: second Node run`).toBe(first[key]);
        expect(chromiumOut[key], `${key}: Chromium`).toBe(first[key]);
      }
      expect(Object.keys(chromiumOut).sort()).toEqual(Object.keys(first).sort());
    });
  });

  it("the core's log, exp, expm1, pow and cos give the same bits in both (Math.log does not)", async () => {
    await inPage(async (page) => {
      const xs = Array.from({ length: 4000 }, (_, i) => 0.000123 + (i * 7.31) / 3999);
      type Api = { mathSamples: typeof mathSamples };
      const theirs = await page.evaluate(
        (v) => (globalThis as unknown as { zettasimIdentity: Api }).zettasimIdentity.mathSamples(v),
        xs,
      );
      expect(theirs.core).toEqual(mathSamples(xs).core);
      const differ = theirs.mathLog.filter((y, i) => y !== Math.log(xs[i])).length;
      console.log(
        `Math.log differs between Node ${process.version} and this Chromium on ${differ} of ${xs.length} inputs`,
      );
    });
  });
});

if (exe === undefined)
  console.warn("identity test skipped: no chromium on PATH (apt-get install -y chromium)");
