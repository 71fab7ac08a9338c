// Framework profiles: each one's resolved fields held against a recorded snapshot, so a refactor of the shared defaults (EAGER_STEP, XLA_COMPILED_STEP) changes no profile.
import { describe, expect, it } from "vitest";
import { ZettasimError } from "../core/errors.js";
import { frameworkIds, frameworkProfile } from "./frameworks.js";

/** A profile as JSON with its keys sorted at every level: what it resolves to, not how it is spelled. */
function canonical(x: unknown): unknown {
  if (Array.isArray(x)) return x.map(canonical);
  if (x !== null && typeof x === "object")
    return Object.fromEntries(
      Object.keys(x)
        .sort()
        .map((k) => [k, canonical((x as Record<string, unknown>)[k])]),
    );
  return x;
}

describe("framework profiles", () => {
  it("resolve to the recorded fields (a change meant to a profile updates the snapshot: vitest -u)", () => {
    const all = Object.fromEntries(frameworkIds.map((id) => [id, canonical(frameworkProfile(id))]));
    expect(JSON.stringify(all, null, 1)).toMatchSnapshot();
  });
  it("are their own objects with their own id, 'other' for a run that names none, an unknown id refused", () => {
    for (const id of frameworkIds) expect(frameworkProfile(id).id).toBe(id);
    expect(frameworkProfile(undefined).id).toBe("other");
    expect(() => frameworkProfile("megatron")).toThrow(ZettasimError);
  });
});
