// The key walk behind "unknown field, did you mean X?": the keys a schema has at a path, through z.lazy,
// unions, optionals, lists and records.
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { issuesFromZod, knownKeysAt } from "./issues.js";
import { scenarioFile } from "./scenario.js";

describe("knownKeysAt", () => {
  it("the scenario's top-level keys and a lazy section's nested keys", () => {
    expect(knownKeysAt(scenarioFile, [])).toEqual(
      expect.arrayContaining(["system", "model", "training", "serving"]),
    );
    expect(knownKeysAt(scenarioFile, ["serving", "workload"])).toContain("inputTokens");
  });
  it("through a list, a record, a union and an optional; nothing where the path leaves the schema", () => {
    const s = z.strictObject({
      list: z.array(z.strictObject({ alpha: z.number() })).optional(),
      byName: z.record(z.string(), z.strictObject({ beta: z.number() })),
      either: z.union([z.strictObject({ gamma: z.number() }), z.strictObject({ delta: z.string() })]),
    });
    expect(knownKeysAt(s, ["list", 0])).toEqual(["alpha"]);
    expect(knownKeysAt(s, ["byName", "x"])).toEqual(["beta"]);
    expect(knownKeysAt(s, ["either"]).sort()).toEqual(["delta", "gamma"]);
    expect(knownKeysAt(s, ["nowhere"])).toEqual([]);
    expect(knownKeysAt(s, ["list", "notAnIndex"])).toEqual([]);
  });
  it("a self-referencing z.lazy does not loop", () => {
    const node: z.ZodType = z.lazy(() => z.union([node, z.strictObject({ leaf: z.number() })]));
    expect(knownKeysAt(node, [])).toEqual(["leaf"]);
  });
});

describe("issuesFromZod: unknown fields", () => {
  const s = z.strictObject({ latencyUs: z.number().optional(), bandwidthGBps: z.number().optional() });
  const issuesOf = (v: unknown, schema?: z.ZodType) => {
    const r = s.safeParse(v);
    if (r.success) throw new Error("expected a refusal");
    return issuesFromZod(r.error, ["tier"], schema);
  };
  it("a near miss names the key, given the schema", () => {
    expect(issuesOf({ latncyUs: 1 }, s)[0]).toEqual({
      path: ["tier", "latncyUs"],
      message: "unknown field, did you mean latencyUs?",
    });
  });
  it("without the schema, or far from every key: the unit hint, no guess", () => {
    expect(issuesOf({ latncyUs: 1 })[0].message).toBe("unknown field");
    expect(issuesOf({ speed: 1 }, s)[0].message).toMatch(/^unknown field \(keys carry their unit/);
  });
});
