// `zettasim simulate` says how long a long run will take before it starts, naming what makes it long.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { longRunNotice } from "../cli/commands/simulate.js";
import { loadScenarioText } from "../src/scenario/load.js";

const ROOT = join(import.meta.dirname, "..");

describe("simulate's long-run notice", () => {
  it("announces a 1 GiB all-reduce on 4,095 NPUs (double binary tree, every rank), naming the figure", () => {
    // The fuzzer's finding: this run took 33 s with no word before it (the estimate guessed another algorithm).
    const text = readFileSync(join(ROOT, "examples", "astra-1d-switch.yaml"), "utf8").replace(
      "[4096]",
      "[4095]",
    );
    const notice = longRunNotice(loadScenarioText(text, "sw4095.yaml"), {});
    expect(notice).toMatch(/^zettasim: this simulation will take about [\d.]+ s /);
    expect(notice).toMatch(
      /all-reduce over 4,095 ranks at dim0 by double-binary-tree, every rank of one group of 4,095: 2,096,128 messages/,
    );
  });

  it("says nothing for a run of a few seconds (4,096 NPUs: halving-doubling, one representative)", () => {
    const text = readFileSync(join(ROOT, "examples", "astra-1d-switch.yaml"), "utf8");
    expect(longRunNotice(loadScenarioText(text, "sw4096.yaml"), {})).toBeUndefined();
  });
});
