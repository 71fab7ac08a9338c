// The built CLI as users run it: every README command and every command the overview suggests exits 0; every
// command's --json has its documented shape and no NaN, Infinity or wall time; bad input exits 2 with one message
// and no stack trace; a closed pipe ends quietly. Runs dist/cli/main.js (npm run build first; npm install does it).
import { execFile, spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { OVERVIEW_COMMANDS } from "../cli/commands/overview.js";

const ROOT = new URL("..", import.meta.url).pathname;
const CLI = join(ROOT, "dist/cli/main.js");

/** A scratch folder where examples/ and validation/ resolve as in the project root, so outputs land here. */
const CWD = mkdtempSync(join(tmpdir(), "zettasim-cli-"));
for (const d of ["examples", "validation"]) symlinkSync(join(ROOT, d), join(CWD, d));

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `zettasim <args>` (split like a shell would for these simple lines) in the scratch folder. */
function zettasim(args: string[], opts: { shell?: string } = {}): Promise<Run> {
  return new Promise((resolve) => {
    const cmd = opts.shell ? "bash" : process.execPath;
    const argv = opts.shell ? ["-c", opts.shell] : [CLI, ...args];
    execFile(cmd, argv, { cwd: CWD, maxBuffer: 64 << 20, timeout: RUN_LIMIT_MS }, (err, stdout, stderr) => {
      const code = err ? ((err as { code?: number }).code ?? 1) : 0;
      resolve({ code: typeof code === "number" ? code : 1, stdout, stderr });
    });
  });
}

/**
 * Wall-time limit of one CLI run: the heaviest README line (plan size: about 85 CPU-seconds of exact searches)
 * shares 2 cores with every other README line, which run concurrently.
 */
const RUN_LIMIT_MS = 600_000;

const words = (line: string) => line.trim().split(/\s+/);

/** `npx zettasim ...` lines of the README's shell blocks, comments cut off. */
function readmeCommands(): string[] {
  const md = readFileSync(join(ROOT, "README.md"), "utf8");
  const out: string[] = [];
  for (const block of md.matchAll(/```sh\n([\s\S]*?)```/g))
    for (const line of block[1].split("\n")) {
      const m = /^npx zettasim(.*?)(\s+#.*)?$/.exec(line.trim());
      if (m) out.push(m[1].trim());
    }
  return out;
}

describe.skipIf(!existsSync(CLI))("the CLI (dist/cli/main.js)", { concurrent: true }, () => {
  const readme = readmeCommands();
  it("the README has its commands", () => expect(readme.length).toBeGreaterThanOrEqual(8));

  // Commands that need a Redis server are run by the sweep queue tests, which start one.
  // `web` serves until stopped: it is started, asked for its page and stopped (any free port, so a running app
  // on the default port does not collide).
  it("web --host 0.0.0.0 warns on stderr that every interface is bound; the default does not", {
    timeout: 120_000,
  }, async () => {
    // Resolves with the stderr of a run that served (stopped once its URL is out); rejects if it ended before.
    const started = (host: string[]) =>
      new Promise<string>((resolve, reject) => {
        const child = spawn(process.execPath, [CLI, "web", "--port", "0", ...host], { cwd: CWD });
        let out = "";
        let err = "";
        let served = false;
        child.stderr.on("data", (b: Buffer) => {
          err += b.toString();
        });
        child.stdout.on("data", (b: Buffer) => {
          out += b.toString();
          if (!served && /http:\/\//.test(out)) {
            served = true;
            child.kill("SIGTERM");
          }
        });
        child.on("exit", (code) =>
          served
            ? resolve(err)
            : reject(new Error(`zettasim web exited (${code}) before serving: ${out}${err}`)),
        );
      });
    const [exposed, loopback] = await Promise.all([started(["--host", "0.0.0.0"]), started([])]);
    expect(exposed).toMatch(/warning: --host 0\.0\.0\.0 is not a loopback address/);
    expect(exposed).toMatch(/every network interface/);
    expect(loopback).toBe("");
  });

  it("README: zettasim web serves its app and stops on SIGTERM", { timeout: 120_000 }, async () => {
    expect(readme).toContain("web");
    const child = spawn(process.execPath, [CLI, "web", "--port", "0"], { cwd: CWD });
    let out = "";
    const url = await new Promise<string>((resolve, reject) => {
      child.stdout.on("data", (b: Buffer) => {
        out += b.toString();
        const m = /(http:\/\/127\.0\.0\.1:\d+\/?)/.exec(out);
        if (m) resolve(m[1]);
      });
      child.on("exit", (code) => reject(new Error(`zettasim web exited (${code}) before serving: ${out}`)));
    });
    const page = await fetch(url);
    expect(page.status).toBe(200);
    expect(await page.text()).toMatch(/<html/i);
    const code = await new Promise<number | null>((resolve) => {
      child.on("exit", (c) => resolve(c));
      child.kill("SIGTERM");
    });
    expect(code).toBe(0);
  });

  for (const line of readme.filter((l) => !l.includes("redis://") && words(l)[0] !== "web")) {
    it(`README: zettasim ${line}`, { timeout: RUN_LIMIT_MS }, async () => {
      const r = await zettasim(words(line).filter(Boolean));
      expect(r.stderr, r.stderr).not.toMatch(/internal error|\n\s+at /);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout.length).toBeGreaterThan(0);
      // A line that writes a file leaves it there, not empty.
      const w = words(line);
      for (const flag of ["--out", "--emit", "--trace"]) {
        const i = w.indexOf(flag);
        if (i >= 0 && w[i + 1] !== "-") expect(readFileSync(join(CWD, w[i + 1])).length).toBeGreaterThan(0);
      }
    });
  }

  for (const [line] of OVERVIEW_COMMANDS) {
    it(`overview suggests: ${line}`, { timeout: 300_000 }, async () => {
      const r = await zettasim(words(line).slice(1));
      expect(r.code, r.stderr).toBe(0);
    });
  }

  it("no arguments: the overview, exit 0", { timeout: 120_000 }, async () => {
    const r = await zettasim([]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/Default system: .*atlas-950-supercluster/);
    expect(r.stdout).toMatch(/assumed\s+fp8, selective recompute, ZeRO 1/);
  });

  /** --json of each command: the keys it must have. */
  const JSON_SHAPES: [string, string[], string[]][] = [
    ["catalog", ["--json"], ["chips", "systems", "models"]],
    [
      "spec",
      ["atlas-950-superpod", "--json"],
      ["id", "chips", "tiers", "peakFlops", "powerW", "floorAreaM2"],
    ],
    ["compare", ["gb200-nvl72", "atlas-950-superpod", "--json"], ["systems", "rows"]],
    [
      "train",
      ["examples/atlas-950-supercluster-train.yaml", "--json"],
      [
        "scenario",
        "system",
        "stepTimeS",
        "mfu",
        "memoryPerChipBytes",
        "assumed",
        "adjustments",
        "breakdownS",
      ],
    ],
    [
      "simulate",
      ["examples/ub-mesh-vs-clos-clos.yaml", "--json"],
      [
        "scenario",
        "system",
        "chips",
        "stepTimeS",
        "layout.assumed",
        "layout.adjustments",
        "breakdownS",
        "tiers",
        "hottestLinks",
        "stats",
      ],
    ],
    [
      "reliability",
      ["examples/llama3-405b-16k-h100.yaml", "--trials", "50", "--json"],
      ["scenario", "system", "goodput", "closedForm", "monteCarlo", "perKind", "interruptions"],
    ],
    [
      "reliability",
      ["examples/llama3-405b-16k-h100-lemon-nodes.yaml", "--trials", "50", "--json"],
      ["scenario", "goodput", "closedForm", "perKind", "lemonNodes.share", "lemonNodes.multiplier"],
    ],
    [
      "serve",
      ["examples/deepseek-v3-atlas-950-colocated.yaml", "--requests", "200", "--json"],
      ["scenario", "system", "ttftMs", "tpotMs", "throughput", "pools", "requests"],
    ],
    ["validate", ["--json"], ["cases", "medianAbsErrorPct", "maxAbsErrorPct"]],
    ["schema", [], ["$schema", "type", "properties"]],
  ];
  for (const [cmd, args, keys] of JSON_SHAPES) {
    it(`${cmd} --json: exit 0, one JSON document with ${keys.join(", ")}; nothing on stderr`, {
      timeout: 300_000,
    }, async () => {
      const r = await zettasim([cmd, ...args]);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr).toBe("");
      const v = JSON.parse(r.stdout) as Record<string, unknown>;
      for (const k of keys) expect(v, `${cmd} --json has ${k}`).toHaveProperty(k);
      expect(r.stdout).not.toMatch(/\b(NaN|Infinity)\b/);
      expect(v).not.toHaveProperty("wallS");
    });
  }

  it("schema --json is taken, as by every command, and prints the same schema as schema", async () => {
    const [plain, json] = await Promise.all([zettasim(["schema"]), zettasim(["schema", "--json"])]);
    expect(json.code, json.stderr).toBe(0);
    expect(json.stderr).toBe("");
    expect(JSON.parse(json.stdout)).toHaveProperty("$schema");
    expect(json.stdout).toBe(plain.stdout);
    const help = await zettasim(["schema", "--help"]);
    expect(help.stdout).toMatch(/--json/);
  });

  it("simulate --json is byte-identical on two runs (no wall clock in it)", {
    timeout: 300_000,
  }, async () => {
    const args = ["simulate", "examples/ub-mesh-vs-clos-ubmesh.yaml", "--json"];
    const [a, b] = await Promise.all([zettasim(args), zettasim(args)]);
    expect(a.code).toBe(0);
    expect(a.stdout).toBe(b.stdout);
  });

  it("--help lists every command as the commands themselves describe it, without loading them", {
    timeout: 120_000,
  }, async () => {
    // dist/cli/help.json (what --help reads) is what the command modules say now.
    const registry = join(ROOT, "dist/cli/registry.js");
    const fresh = await zettasim([], {
      shell: `"${process.execPath}" --input-type=module -e 'const { helpLines } = await import("${registry}"); process.stdout.write(JSON.stringify(await helpLines()))'`,
    });
    expect(fresh.code, fresh.stderr).toBe(0);
    const lines = JSON.parse(readFileSync(join(ROOT, "dist/cli/help.json"), "utf8"));
    expect(lines).toEqual(JSON.parse(fresh.stdout));
    const help = await zettasim(["--help"]);
    expect(help.code).toBe(0);
    for (const l of lines) expect(help.stdout).toContain(l.term);
    const spec = await zettasim(["help", "spec"]);
    expect(spec.code).toBe(0);
    expect(spec.stdout).toMatch(/^Usage: zettasim spec \[options\] <system>/);
  });

  /** Bad input: exit 2, a message naming what is wrong, no stack trace. */
  const ERRORS: [string, string[], RegExp][] = [
    ["unknown command", ["simulat"], /unknown command 'simulat'/],
    ["unknown option", ["spec", "atlas-950-superpod", "--bogus"], /unknown option '--bogus'/],
    ["missing argument", ["spec"], /missing required argument 'system'/],
    [
      "a rate too low for every request to arrive",
      ["serve", "examples/deepseek-v3-atlas-950-colocated.yaml", "--rate", "0.001"],
      /--rate: only \d+ of the 12,000 requests arrive within the 86,400 s simulated/,
    ],
    [
      "too many threads",
      ["plan", "train", "examples/plan-gpt3-175b-a100.yaml", "--threads", "100000"],
      /--threads/,
    ],
    ["missing file", ["spec", "nope.yaml"], /no such file: nope\.yaml/],
    ["bad flag value", ["reliability", "atlas-950-superpod", "--days", "1e9"], /--days: bad value/],
    ["too many trials", ["reliability", "atlas-950-superpod", "--days", "30", "--trials", "1e9"], /--trials/],
    ["negative seed", ["reliability", "atlas-950-superpod", "--days", "30", "--seed", "-1"], /--seed/],
    [
      "trials per job that is not a number",
      ["reliability", "atlas-950-superpod", "--days", "30", "--trials-per-job", "abc"],
      /--trials-per-job: bad value: not written in decimal digits \(got "abc"/,
    ],
    [
      "trials per job without a queue",
      ["reliability", "atlas-950-superpod", "--days", "30", "--trials-per-job", "50"],
      /--trials-per-job: .*\(got 50, expected --queue <url> with --trials-per-job\)/,
    ],
    [
      "tokens overflow",
      ["train", "examples/atlas-950-supercluster-train.yaml", "--tokens", "1e300"],
      /--tokens/,
    ],
    ["no run length", ["reliability", "atlas-950-supercluster"], /idealTrainingDays/],
    // Flags are checked before the scenario is read: the seed is named even when the file is missing.
    [
      "seed 1e30 before the file",
      ["serve", "nope.yaml", "--seed", "1e30"],
      /--seed: bad value: not written in decimal digits \(got "1e30"/,
    ],
    [
      "seed 1.5",
      ["reliability", "nope.yaml", "--seed", "1.5"],
      /--seed: bad value: not written in decimal digits \(got "1.5"/,
    ],
    [
      "hex chips",
      ["train", "--chips", "0x10"],
      /--chips: bad value: not written in decimal digits \(got "0x10"/,
    ],
    [
      "per-tier algorithm on an unknown tier",
      ["simulate", "examples/astra-2d.yaml", "--algorithm", "tier9=ring"],
      /simulation\.algorithm\.tier9: no tier of this name in the system \(got "tier9", expected one of the system's tiers \(dim0, dim1\)/,
    ],
    [
      "trace into a missing folder",
      ["simulate", "examples/ub-mesh-vs-clos-clos.yaml", "--trace", "no/such/dir/t.json"],
      /--trace: no such folder/,
    ],
    [
      "trace to stdout with --json",
      ["simulate", "examples/ub-mesh-vs-clos-clos.yaml", "--trace", "-", "--json"],
      /--trace/,
    ],
    // One system has nothing to compare with (it ran and printed a column of 1.00x ratios): spec is named.
    [
      "compare with one system",
      ["compare", "gb200-nvl72"],
      /systems: compare needs two or more systems .*zettasim spec.*\(got \["gb200-nvl72"\], expected two or more/,
    ],
  ];
  it("compare prints a small ratio with its significant digits, never 0.00x", {
    timeout: 120_000,
  }, async () => {
    const r = await zettasim(["compare", "atlas-950-supercluster", "gb200-nvl72"]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/72 \(0\.00014x\)/);
    expect(r.stdout).not.toMatch(/\(0\.00x\)/);
  });

  for (const [what, args, message] of ERRORS) {
    it(`${what}: exit 2, the message, no stack trace`, { timeout: 120_000 }, async () => {
      const r = await zettasim(args);
      expect(r.code, r.stdout).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(r.stderr).toMatch(/^zettasim: /);
      expect(r.stderr).not.toMatch(/\n\s+at |internal error/);
    });
  }

  it("a system scaled past its outer tier is refused, saying how to add one", {
    timeout: 120_000,
  }, async () => {
    const f = join(CWD, "big.yaml");
    writeFileSync(f, "system: { extends: gb200-nvl72, chips: 8064 }\n");
    const r = await zettasim(["spec", f]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/112 groups of 72 .* no tier joins them/);
    expect(r.stderr).toMatch(/tiers: \[\{ name: scale-out, topology: fat-tree/);
  });

  it("validate with no case modelled prints no error figure (not a 0.0% median)", {
    timeout: 120_000,
  }, async () => {
    const f = join(CWD, "no-cases.json");
    writeFileSync(f, JSON.stringify({ format: "zettasim-validation-cases/1", title: "empty", cases: [] }));
    const r = await zettasim(["validate", f, "--no-cv"]);
    expect(r.code, r.stderr).toBe(0);
    // "no cases" (it printed "-"): the words say why there is no figure; --json gives null, not 0.
    expect(r.stdout).toMatch(/0 cases modelled, 0 not; median \|error\| no cases, max \|error\| no cases/);
    expect(r.stdout).not.toMatch(/0\.0%/);
    const j = await zettasim(["validate", f, "--no-cv", "--json"]);
    expect(j.code, j.stderr).toBe(0);
    const out = JSON.parse(j.stdout);
    expect([out.medianAbsErrorPct, out.maxAbsErrorPct, out.outOfSample.medianAbsErrorPct]).toEqual([
      null,
      null,
      null,
    ]);
  });

  it("validate prints a failure study's counting-noise interval and says whether the prediction falls in it", {
    timeout: 120_000,
  }, async () => {
    const f = join(ROOT, "validation", "reliability-holdout-2026-12-01.json");
    const r = await zettasim(["validate", f, "--no-cv"]);
    expect(r.code, r.stderr).toBe(0);
    // Lablup's 10 B200 failures: Garwood's 95% interval on 10 events is [4.795, 18.39] events, scaled to the figure.
    expect(r.stdout).toMatch(
      /counting noise: lablup-b200-gpu-failures-504gpu: 10 events, 95% interval 7\.2\d*-27\.6\d*, prediction (inside|outside)/,
    );
  });

  it("a validation file that is empty or not a mapping is named as one, not as a scenario", {
    timeout: 120_000,
  }, async () => {
    for (const [name, text] of [
      ["list.json", "[]"],
      ["blank.json", "\n"],
    ]) {
      const f = join(CWD, name);
      writeFileSync(f, text);
      const r = await zettasim(["validate", f]);
      expect(r.code, name).toBe(2);
      expect(r.stderr, name).toMatch(
        /expected a validation file \{"format": "zettasim-validation-cases\/1", "cases": \[\.\.\.\]\}/,
      );
      expect(r.stderr, name).not.toMatch(/scenario|`system`/);
    }
  });

  it("a throughput below one token a second per chip prints its digits, not 0", {
    timeout: 120_000,
  }, async () => {
    const f = join(CWD, "slow.yaml");
    writeFileSync(
      f,
      "system: gb200-nvl72\nmodel: { extends: llama3-70b, layers: 1000000000, hiddenSize: 1000000 }\ntraining: { globalBatchSize: 576, seqLength: 1000000 }\n",
    );
    const r = await zettasim(["train", f]);
    expect(r.stdout).toMatch(/tokens\/s per chip +\d\.\d\de-\d+\n/);
  });

  it("a job that does not fit in memory prints its figures and exits 2", { timeout: 120_000 }, async () => {
    const r = await zettasim([
      "train",
      "--system",
      "dgx-h100-superpod",
      "--model",
      "llama3-405b",
      "--gbs",
      "1024",
      "--chips",
      "1024",
    ]);
    expect(r.code).toBe(2);
    expect(r.stdout).toMatch(/DOES NOT FIT/);
    expect(r.stderr).toMatch(/needs .* per chip/);
  });

  it("a closed stdout ends quietly (zettasim spec ... | head -1)", { timeout: 120_000 }, async () => {
    for (const cmd of ["spec atlas-950-superpod", "catalog", "schema"]) {
      const r = await zettasim([], { shell: `set -o pipefail; node ${CLI} ${cmd} | head -1; echo "rc=$?"` });
      expect(r.stderr, cmd).toBe("");
      expect(r.stdout, cmd).toMatch(/rc=0\s*$/);
    }
  });

  it("--trace - writes the trace to stdout and the report to stderr", { timeout: 300_000 }, async () => {
    const r = await zettasim(["simulate", "examples/ub-mesh-vs-clos-clos.yaml", "--trace", "-"]);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toHaveProperty("traceEvents");
    expect(r.stderr).toMatch(/ub-mesh-vs-clos-clos/);
    expect(existsSync(join(CWD, "-"))).toBe(false);
  });
});
