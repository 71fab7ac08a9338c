// Golden files change only with a reason written beside them: every golden file has a <file>.why whose last line
// names the file's current hash. Regenerate a golden, then run `npm run golden:why -- <file> "<why it changed>"`.
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
// @ts-expect-error: a plain .mjs helper shared with scripts/golden-why.mjs
import { goldenHash } from "../scripts/golden-hash.mjs";

const ROOT = new URL("..", import.meta.url).pathname;
const SKIP = new Set(["node_modules", "dist", ".git", "web"]);

/** Every golden file in the tree: `*.golden.*` anywhere and everything under test/golden/ (reasons excluded). */
function goldenFiles(dir = ROOT, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    if (SKIP.has(name)) continue;
    const p = join(dir, name);
    if (statSync(p).isDirectory()) goldenFiles(p, out);
    else if (
      !name.endsWith(".why") &&
      (/\.golden\./.test(name) || relative(ROOT, p).startsWith("test/golden/"))
    )
      out.push(relative(ROOT, p));
  }
  return out.sort();
}

describe("golden files", () => {
  const files = goldenFiles();
  it("exist (the check would pass vacuously otherwise)", () => {
    expect(files.length).toBeGreaterThanOrEqual(4);
  });
  for (const f of files) {
    it(`${f} has a reason for its current contents`, () => {
      const why = join(ROOT, `${f}.why`);
      const hash = goldenHash(readFileSync(join(ROOT, f)));
      const how = `run: npm run golden:why -- ${f} "<why it changed>"`;
      expect(existsSync(why), `${f} has no ${f}.why; ${how}`).toBe(true);
      const lines = readFileSync(why, "utf8").trim().split("\n");
      const last = lines[lines.length - 1] ?? "";
      const m = /^([0-9a-f]{16}) (\d{4}-\d{2}-\d{2}) (.{10,})$/.exec(last);
      expect(m, `${f}.why: last line must be "<hash> <date> <reason>"`).not.toBeNull();
      expect(m?.[1], `${f} changed (now ${hash}) without a reason; ${how}`).toBe(hash);
    });
  }
});
