// Golden output: the rendered spec of the Atlas 950 SuperPoD and the NVL144 comparison, compared with files in the repo.
import { describe, expect, it } from "vitest";
import { resolveSystem } from "../src/catalog/resolve.js";
import { compareSpecs } from "../src/report/compare.js";
import { deriveSpec } from "../src/report/derive.js";
import { comparisonRows, renderColumns, renderPairs, specRows, tierRows } from "../src/report/format.js";

const spec = (id: string) => deriveSpec(resolveSystem(id));

describe("rendered output", () => {
  it("spec atlas-950-superpod", async () => {
    const s = spec("atlas-950-superpod");
    const text = `${renderPairs(specRows(s))}\n\n${renderColumns(tierRows(s), 2)}\n`;
    await expect(text).toMatchFileSnapshot("golden/spec-atlas-950-superpod.txt");
  });
  it("compare vr-nvl144 atlas-950-superpod", async () => {
    const text = `${renderColumns(comparisonRows(compareSpecs([spec("vr-nvl144"), spec("atlas-950-superpod")])))}\n`;
    await expect(text).toMatchFileSnapshot("golden/compare-nvl144-atlas-950-superpod.txt");
  });
});
