// docs/limits.md stays true: its table of numeric fields is the scenario schema's, and every limit it quotes is the
// code's constant (a constant changed without the page fails here).
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { MAX_THREADS } from "../cli/io.js";
import { MAX_JOB_UNITS } from "../node/sweep/jobs.js";
// @ts-expect-error: a plain .mjs script without types
import { withFieldTable } from "../scripts/limits-doc.mjs";
import { fmtInt } from "../src/core/units.js";
import { MAX_EXTENDED_CHIPS } from "../src/plan/size.js";
import { RELIABILITY_LIMITS } from "../src/reliability/estimate.js";
import { TEXT_LIMITS } from "../src/scenario/parse.js";
import { MAX_ASTRA_NPUS } from "../src/schema/astra-sim.js";
import { LIMITS } from "../src/schema/fields.js";
import { scenarioJsonSchema } from "../src/schema/scenario.js";
import { MAX_CHUNKS } from "../src/schema/simulation.js";
import { MAX_AXIS_VALUES, MAX_SWEEP_POINTS } from "../src/schema/sweep.js";
import {
  EVENTS_PER_WALL_S as SERVE_EVENTS_PER_S,
  MAX_SERVING_MEMORY_BYTES as SERVE_MAX_MEMORY,
  MAX_SERVING_WALL_S as SERVE_MAX_WALL_S,
} from "../src/serving/estimate.js";
import { MAX_FLAT_RANKS } from "../src/sim/collectives/run.js";
import {
  MAX_MEMORY_BYTES,
  MAX_WALL_S,
  SECONDS_PER_MESSAGE as SIM_S_PER_MESSAGE,
} from "../src/sim/estimate.js";

const DOC = readFileSync(new URL("../docs/limits.md", import.meta.url), "utf8");

describe("docs/limits.md", () => {
  it("lists every numeric field of the scenario format with its current bounds (node scripts/limits-doc.mjs)", () => {
    expect(withFieldTable(DOC, JSON.parse(JSON.stringify(scenarioJsonSchema())))).toBe(DOC);
  });

  const quoted: [string, string][] = [
    ["text size", `${fmtInt(TEXT_LIMITS.maxChars)} characters`],
    ["nesting", `| ${TEXT_LIMITS.maxDepth} levels |`],
    ["unbalanced brackets", `| unbalanced closing brackets | ${TEXT_LIMITS.maxErrors} |`],
    ["syntax errors", `| syntax errors reported | ${TEXT_LIMITS.maxErrors} |`],
    ["aliases", `| alias expansions | ${TEXT_LIMITS.maxAliasCount} |`],
    ["positive quantities", `| ${LIMITS.positiveMin} to ${LIMITS.max.toExponential().replace("e+", "e")} |`],
    ["counts", `| 1 to ${LIMITS.countMax.toExponential().replace("e+", "e")} |`],
    ["trials", `| trials | ${fmtInt(RELIABILITY_LIMITS.maxTrials)} |`],
    [
      "failure events",
      `| ${RELIABILITY_LIMITS.maxEvents.toExponential().replace("e+", "e")} (about ten minutes) |`,
    ],
    ["spare slots", `| ${fmtInt(RELIABILITY_LIMITS.maxSpareSlots)} |`],
    ["serve wall", `| ${SERVE_MAX_WALL_S / 60} minutes at ${fmtInt(SERVE_EVENTS_PER_S)} events/s |`],
    ["serve memory", `| ${SERVE_MAX_MEMORY / 1e9} GB |`],
    [
      "simulate wall",
      `| ${MAX_WALL_S / 60} minutes at ${SIM_S_PER_MESSAGE * 1e6} us per simulated message |`,
    ],
    ["simulate memory", `| ${MAX_MEMORY_BYTES / 2 ** 30} GiB |`],
    ["chunks", `| ${fmtInt(MAX_CHUNKS)} |`],
    ["flat ranks", `| ${fmtInt(MAX_FLAT_RANKS)} |`],
    ["threads", `| ${MAX_THREADS} |`],
    ["plan size", `| ${fmtInt(MAX_EXTENDED_CHIPS)} (2^21) |`],
    ["sweep points", `| points one sweep expands to | ${fmtInt(MAX_SWEEP_POINTS)} |`],
    ["axis values", `| values on one axis | ${fmtInt(MAX_AXIS_VALUES)} |`],
    ["job units", `| units of work in one queue job | ${fmtInt(MAX_JOB_UNITS)} |`],
    ["ASTRA-sim NPUs", `at most ${fmtInt(MAX_ASTRA_NPUS)} (2^24) NPUs`],
  ];
  for (const [what, text] of quoted) it(`quotes the code's ${what} limit`, () => expect(DOC).toContain(text));
});
