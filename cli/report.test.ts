// `zettasim report` and `zettasim web`: the report is one self-contained file (no script, nothing fetched), its text
// escaped, under 2 MB for the default scenario; the server binds 127.0.0.1, refuses a taken port by name, and
// serves nothing outside the app's folder.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ZettasimError } from "../src/core/errors.js";
import { checkClaims } from "../src/report/claims.js";
import { claimsDocument } from "../src/report/claims-report.js";
import { escapeHtml, numericColumns, reportHtml } from "../src/report/html.js";
import { runScenario, scenarioCommands } from "../src/report/scenario.js";
import { scenarioDocument } from "../src/report/scenario-document.js";
import { runClaimsStudy, studyInputs } from "../src/report/study.js";
import { loadScenarioText } from "../src/scenario/load.js";
import { chartSvg } from "./svg.js";
import { startWebServer } from "./web-server.js";

/** What a self-contained file may not hold: scripts, stylesheets or images from elsewhere, frames. */
function external(html: string): string[] {
  const found: string[] = [];
  for (const re of [
    /<script\b/i,
    /<link\b/i,
    /<iframe\b/i,
    /\b(src|href)\s*=\s*"(?!#)[^"]*"/i,
    /url\(\s*['"]?(https?:|\/\/)/i,
    /@import/i,
  ])
    if (re.test(html)) found.push(re.source);
  return found;
}

describe("HTML report", () => {
  it("escapes text and right-aligns only columns of numbers", () => {
    expect(escapeHtml(`<a href="x">&'`)).toBe("&lt;a href=&quot;x&quot;&gt;&amp;&#39;");
    expect(
      numericColumns([
        ["a", "1.5 ms", "x", "12%"],
        ["b", "2 s", "-", "3.1%"],
      ]),
    ).toEqual([false, true, false, true]);
    const html = reportHtml(
      {
        title: "<t>",
        provenance: ["p&q"],
        sections: [{ id: "s", title: "S", blocks: [{ kind: "text", text: "<b>" }] }],
      },
      () => "",
    );
    expect(html).toContain("&lt;t&gt;");
    expect(html).toContain("&lt;b&gt;");
    expect(html).toContain("p&amp;q");
  });

  it("the default scenario's report is one self-contained file under 2 MB with spec, training and simulation", async () => {
    const file = "examples/atlas-950-supercluster-train.yaml";
    const sc = loadScenarioText(readFileSync(new URL(`../${file}`, import.meta.url), "utf8"), file);
    expect(scenarioCommands(sc)).toEqual({
      train: true,
      simulate: true,
      reliability: false,
      serve: false,
      plan: false,
    });
    const r = await runScenario(sc, file);
    expect(r.skipped).toEqual([]);
    const html = reportHtml(scenarioDocument(r, ["test"]), chartSvg);
    expect(Buffer.byteLength(html)).toBeLessThan(2e6);
    expect(external(html)).toEqual([]);
    for (const id of ["spec", "training", "simulation"]) expect(html).toContain(`<section id="${id}">`);
    expect(html.match(/<svg\b/g)?.length ?? 0).toBeGreaterThanOrEqual(5);
    expect(html).not.toMatch(/NaN|Infinity|undefined/);
    // Same results, same bytes.
    expect(reportHtml(scenarioDocument(r, ["test"]), chartSvg)).toBe(html);
  });
});

const zettasim = (args: string[]) =>
  spawnSync("npx", ["tsx", "cli/main.ts", ...args], {
    encoding: "utf8",
    cwd: new URL("..", import.meta.url).pathname,
  });

describe("zettasim report", () => {
  it("the claims report has the check and each part of the study, self-contained", () => {
    const ex = (f: string) =>
      loadScenarioText(readFileSync(new URL(`../examples/${f}`, import.meta.url), "utf8"), f);
    const study = runClaimsStudy(studyInputs(ex));
    const html = reportHtml(claimsDocument(checkClaims(), study, ["test"]), chartSvg);
    expect(external(html)).toEqual([]);
    expect(html).not.toMatch(/NaN|Infinity|undefined/);
    for (const id of ["claims", "scaling", "budget", "uboe-vs-roce", "think-as-one"])
      expect(html).toContain(`<section id="${id}">`);
  });

  it("writes a report file; refuses a missing --out or a missing folder, naming the flag", {
    timeout: 180_000,
  }, () => {
    const dir = mkdtempSync(join(tmpdir(), "zettasim-report-"));
    const out = join(dir, "pod.html");
    const r = zettasim(["report", "atlas-950-superpod", "--out", out]);
    expect(r.stderr).not.toMatch(/error|\n\s+at /i);
    expect(r.status).toBe(0);
    const html = readFileSync(out, "utf8");
    // The file is the result; stdout says where it went, its size and what it holds (a system alone: its spec,
    // tables and no chart).
    const kb = Math.round(Buffer.byteLength(html) / 1000);
    const charts = html.match(/<figure class="chart"/g)?.length ?? 0;
    expect(r.stdout).toBe(
      `wrote ${out} (${kb} kB, ${charts} charts, ${html.match(/<section id=/g)?.length} sections)\n`,
    );
    expect(external(html)).toEqual([]);
    expect(html).toContain('<section id="spec">');
    const noOut = zettasim(["report", "atlas-950-superpod"]);
    expect(noOut.status).toBe(2);
    expect(noOut.stderr).toMatch(/--out: no output file given/);
    const noDir = zettasim(["report", "atlas-950-superpod", "--out", join(dir, "nope", "r.html")]);
    expect(noDir.status).toBe(2);
    expect(noDir.stderr).toMatch(/--out: the folder does not exist/);
    expect(existsSync(join(dir, "nope"))).toBe(false);
  });
});

describe("web server", () => {
  const root = mkdtempSync(join(tmpdir(), "zettasim-web-"));
  mkdirSync(join(root, "assets"));
  writeFileSync(join(root, "index.html"), "<!doctype html><p>app</p>");
  writeFileSync(join(root, "assets", "a.js"), "export {};");
  writeFileSync(join(tmpdir(), "zettasim-secret.txt"), "secret");

  it("serves the app on 127.0.0.1 with a same-origin-only policy, and nothing outside its folder", async () => {
    const web = await startWebServer({ port: 0, root });
    try {
      expect(web.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
      const index = await fetch(web.url);
      expect(index.status).toBe(200);
      expect(await index.text()).toContain("app");
      expect(index.headers.get("content-security-policy")).toMatch(/default-src 'self'/);
      const js = await fetch(`${web.url}assets/a.js`);
      expect(js.headers.get("content-type")).toMatch(/text\/javascript/);
      for (const bad of [
        "../zettasim-secret.txt",
        "..%2fzettasim-secret.txt",
        "assets/../../zettasim-secret.txt",
      ]) {
        const r = await fetch(`${web.url}${bad}`);
        expect(r.status, bad).toBe(404);
      }
      expect((await fetch(web.url, { method: "POST" })).status).toBe(405);
    } finally {
      await web.close();
    }
  });

  it("a taken port is refused by name, with what to do", async () => {
    const a = await startWebServer({ port: 0, root });
    try {
      const e = await startWebServer({ port: a.port, root }).catch((x) => x);
      expect(e).toBeInstanceOf(ZettasimError);
      expect((e as ZettasimError).message).toMatch(
        new RegExp(`--port: port ${a.port} on 127.0.0.1 is already in use`),
      );
      expect((e as ZettasimError).message).toMatch(/--port 0/);
    } finally {
      await a.close();
    }
  });

  it("`zettasim web --port` rejects a bad port before binding", () => {
    const r = zettasim(["web", "--port", "70000"]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/--port: bad value/);
  });
});
