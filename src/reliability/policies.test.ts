// Failure policies: every site's failures are fully shared out, and the policies decide by blast radius alone.
import { describe, expect, it } from "vitest";
import { resolveSystem } from "../catalog/resolve.js";
import { failureSites, inventory } from "./inventory.js";
import { DEFAULT_RECOVERY } from "./model.js";
import { handle, type Policy, type PolicyContext } from "./policies.js";
import { DEFAULT_RATES } from "./rates.js";

const sys = resolveSystem({ extends: "dgx-h100-superpod", chips: 1024 });
const inv = inventory(sys);
const base: Policy = {
  meshLinkFailures: "reroute",
  degradedThroughputFraction: 0.1,
  switchedAbsorbFraction: 0.5,
};
const ctx = (p: Partial<Policy> = {}): PolicyContext => ({
  policy: { ...base, ...p },
  recovery: DEFAULT_RECOVERY,
  jobChips: inv.accelerators,
  chipsPerHost: inv.chipsPerHost,
});

describe("failure policies", () => {
  const policies: Partial<Policy>[] = [
    {},
    { hotSpares: { groupChips: 64, spares: 1 } },
    { elasticDataParallel: { replicaChips: 8 } },
    { tierAbsorbFraction: { infiniband: { switches: 0.3 } } },
  ];
  it("share out every site's failures exactly once, whatever the policy", () => {
    for (const p of policies)
      for (const site of failureSites(inv, DEFAULT_RATES)) {
        const parts = handle(site, ctx(p));
        expect(parts.reduce((a, x) => a + x.fraction, 0)).toBeCloseTo(1, 12);
      }
  });

  it("decide by blast radius, not by the component's name", () => {
    // An accelerator whose failure takes its whole host down loses a host's worth of replicas under elastic DP.
    const asHost = {
      ...DEFAULT_RATES,
      accelerator: { ...DEFAULT_RATES.accelerator, blastRadius: "host" as const },
    };
    const site = failureSites(inv, asHost).find((s) => s.kind === "accelerator");
    const chip = failureSites(inv, DEFAULT_RATES).find((s) => s.kind === "accelerator");
    if (!site || !chip) throw new Error("no accelerator site");
    const c = ctx({ elasticDataParallel: { replicaChips: 1 } });
    expect(handle(site, c)[0].claim.degradedS).toBeCloseTo(
      handle(chip, c)[0].claim.degradedS * inv.chipsPerHost,
      9,
    );
    // A hot spare covers a chip, not a host.
    const spares = ctx({ hotSpares: { groupChips: 64, spares: 1 } });
    expect(handle(chip, spares).map((x) => x.claim.effect)).toEqual(["migrate"]);
    expect(handle(site, spares).map((x) => x.claim.effect)).toEqual(["restart"]);
  });

  it("route a switched tier's absorbed share around, and restart on the rest", () => {
    const sw = failureSites(inv, DEFAULT_RATES).find((s) => s.kind === "switch" && !s.tier?.mesh);
    if (!sw) throw new Error("no switched tier");
    const parts = handle(sw, ctx());
    expect(parts.map((x) => [x.claim.effect, x.fraction])).toEqual([
      ["degrade", 0.5],
      ["restart", 0.5],
    ]);
  });
});
