// Inventory and blast radius: counts scale with the machine; each policy maps failures to the right effect; bad input names its field.
import { describe, expect, it } from "vitest";
import { resolveSystem } from "../catalog/resolve.js";
import { ZettasimError } from "../core/errors.js";
import { GB } from "../core/units.js";
import { ATTACHMENT_TIER, inventory } from "./inventory.js";
import { buildModel, type ReliabilityOptions, youngDalyIntervalS } from "./model.js";
import { TEST_CHECKPOINT, testOptions } from "./testing.js";

const dgx16k = resolveSystem({ extends: "dgx-h100-superpod", chips: 16384 });
const ck = TEST_CHECKPOINT;
const opts = testOptions;
const effectsOf = (m: ReturnType<typeof buildModel>, kind: string) =>
  m.classes.filter((c) => c.kind === kind).map((c) => c.effect);

describe("inventory", () => {
  it("counts a 16K-GPU DGX H100 SuperPOD: 2,048 hosts, 16,384 NICs, a 3-level radix-64 fat tree", () => {
    const inv = inventory(dgx16k);
    expect(inv.accelerators).toBe(16384);
    expect(inv.hosts).toBe(2048);
    expect(inv.nics).toBe(16384);
    const ib = inv.tiers.find((t) => t.tier === "infiniband");
    expect(ib?.switches).toBe(1280);
    expect(ib?.opticalModules).toBe(98304);
  });

  it("scales every count with the job's share of the machine", () => {
    const all = inventory(dgx16k);
    const half = inventory(dgx16k, { jobChips: 8192 });
    expect(half.hosts).toBe(all.hosts / 2);
    expect(half.tiers[1].opticalModules).toBe(all.tiers[1].opticalModules / 2);
  });

  it("assumes a host per 8 chips where the catalog lists none, and says so", () => {
    const sys = resolveSystem({
      id: "bare",
      name: "bare",
      vendor: "x",
      chip: "h100-sxm",
      chips: 64,
      tiers: [{ name: "t", topology: "switch", bandwidthGBps: 100 }],
    });
    const inv = inventory(sys);
    expect(inv.hosts).toBe(8);
    expect(inv.assumptions.join(" ")).toMatch(/hosts/);
  });

  it("takes totals from the scenario over the catalog", () => {
    const inv = inventory(dgx16k, { counts: { hosts: 100, opticalModules: 1000 } });
    expect(inv.hosts).toBe(100);
    expect(inv.tiers.reduce((a, t) => a + t.opticalModules, 0)).toBeCloseTo(1000, 9);
  });

  it("adds a host attachment as one more switched tier, whose failures restart the job, and names a bad count", () => {
    const plain = inventory(dgx16k);
    const inv = inventory(dgx16k, { attachment: { switches: 8, opticalModules: 16 } });
    expect(inv.tiers).toHaveLength(plain.tiers.length + 1);
    const a = inv.tiers[inv.tiers.length - 1];
    expect(a).toMatchObject({ tier: ATTACHMENT_TIER, mesh: false, switches: 8, opticalModules: 16 });
    expect(inv.tiers.slice(0, -1)).toEqual(plain.tiers);
    const m = buildModel(dgx16k, { ...opts(), attachment: { switches: 8, opticalModules: 16 } });
    const att = m.classes.filter((c) => c.tier === ATTACHMENT_TIER);
    expect(att.map((c) => c.kind).sort()).toEqual(["optical-module", "switch"]);
    expect(att.every((c) => c.effect === "restart")).toBe(true);
    const sum = att.reduce((x, c) => x + c.ratePerS, 0);
    expect(sum).toBeCloseTo(8 * m.rates.switch.ratePerS + 16 * m.rates["optical-module"].ratePerS, 20);
    expect(() => inventory(dgx16k, { attachment: { switches: -1, opticalModules: 16 } })).toThrow(
      ZettasimError,
    );
  });
});

describe("blast radius and policy", () => {
  it("restarts the job on every failure by default in a Clos", () => {
    const m = buildModel(dgx16k, opts());
    expect(new Set(m.classes.map((c) => c.effect))).toEqual(new Set(["restart"]));
  });

  it("sends chip failures to a hot spare and leaves host and software failures as restarts", () => {
    const m = buildModel(dgx16k, opts({ policy: { hotSpares: { groupChips: 64, spares: 1 } } }));
    expect(effectsOf(m, "accelerator")).toEqual(["migrate"]);
    expect(effectsOf(m, "hbm")).toEqual(["migrate"]);
    expect(effectsOf(m, "host")).toEqual(["restart"]);
    expect(effectsOf(m, "software")).toEqual(["restart"]);
    expect(m.spareGroups).toBe(256);
  });

  it("drops data-parallel replicas under elastic training, costing the replica's share until repair", () => {
    const m = buildModel(dgx16k, opts({ policy: { elasticDataParallel: { replicaChips: 128 } } }));
    const acc = m.classes.find((c) => c.kind === "accelerator");
    expect(acc?.effect).toBe("shrink");
    expect(acc?.degradedS).toBeCloseTo((128 / 16384) * m.recovery.repairS, 6);
    expect(effectsOf(m, "switch")).toEqual(["restart"]);
  });

  it("routes around a lost link in a mesh tier but restarts for one in a switched tier", () => {
    const mesh = buildModel(resolveSystem("atlas-950-superpod-ubmesh"), opts());
    const inMesh = mesh.classes.filter((c) => c.tier === "cabinet-ub");
    expect(inMesh.length).toBeGreaterThan(0);
    expect(inMesh.every((c) => c.effect === "degrade" && !c.losesWork && c.downtimeS === 0)).toBe(true);
    const clos = mesh.classes.filter((c) => c.tier === "superpod-ub");
    expect(clos.every((c) => c.effect === "restart")).toBe(true);
  });

  it("lets multipath absorb a set fraction of a switched tier's failures", () => {
    const m = buildModel(
      dgx16k,
      opts({ policy: { tierAbsorbFraction: { infiniband: { opticalModules: 0.75 } } } }),
    );
    const optics = m.classes.filter((c) => c.kind === "optical-module");
    const absorbed = optics.find((c) => c.effect === "degrade")?.ratePerS ?? 0;
    const stopping = optics.find((c) => c.effect === "restart")?.ratePerS ?? 0;
    expect(absorbed / (absorbed + stopping)).toBeCloseTo(0.75, 9);
    expect(effectsOf(m, "switch")).toEqual(["restart"]);
  });

  it("puts detection, restart and checkpoint reload into a restart's downtime", () => {
    const m = buildModel(dgx16k, opts({ recovery: { detectionS: 60, restartS: 120 } }));
    expect(m.classes[0].downtimeS).toBeCloseTo(60 + 120 + 5e12 / (1000 * GB), 9);
  });
});

describe("checkpoint interval", () => {
  it("is Young's sqrt(2 C M) unless set", () => {
    expect(youngDalyIntervalS(10, 3600)).toBeCloseTo(Math.sqrt(2 * 10 * 3600), 9);
    const m = buildModel(dgx16k, opts());
    const rate = m.classes.reduce((a, c) => a + c.ratePerS, 0);
    expect(m.checkpoint.youngDaly).toBe(true);
    expect(m.checkpoint.intervalS).toBeCloseTo(Math.sqrt((2 * 5e12) / (1000 * GB) / rate), 6);
    const set = buildModel(dgx16k, opts({ checkpoint: { ...ck, intervalS: 600 } }));
    expect(set.checkpoint.intervalS).toBe(600);
    expect(set.checkpoint.youngDaly).toBe(false);
  });

  it("rounds up to whole training steps", () => {
    const m = buildModel(dgx16k, opts({ checkpoint: { ...ck, stepS: 7 } }));
    expect(m.checkpoint.intervalS % 7).toBeCloseTo(0, 9);
  });

  it("writes in-memory checkpoints at the per-chip copy bandwidth", () => {
    const m = buildModel(dgx16k, opts({ checkpoint: { ...ck, inMemory: true } }));
    expect(m.checkpoint.writeS).toBeCloseTo(5e12 / 16384 / (25 * GB), 12);
  });
});

describe("bad input", () => {
  const fails = (o: Partial<ReliabilityOptions>, path: string) => {
    try {
      buildModel(dgx16k, opts(o));
    } catch (e) {
      expect(e).toBeInstanceOf(ZettasimError);
      expect((e as ZettasimError).issues[0].path.join(".")).toBe(path);
      return;
    }
    throw new Error("expected a ZettasimError");
  };

  it("names the spare group that does not divide the job", () => {
    fails(
      { policy: { hotSpares: { groupChips: 48, spares: 1 } } },
      "reliability.policy.hotSpares.groupChips",
    );
  });

  it("names a replica as large as the job", () => {
    fails(
      { policy: { elasticDataParallel: { replicaChips: 16384 } } },
      "reliability.policy.elasticDataParallel.replicaChips",
    );
  });

  it("names an unknown tier in tierAbsorbFraction", () => {
    fails({ policy: { tierAbsorbFraction: { nope: 1 } } }, "reliability.policy.tierAbsorbFraction.nope");
  });

  it("names an empty checkpoint", () => {
    fails({ checkpoint: { ...ck, sizeBytes: 0 } }, "reliability.checkpoint.sizeGB");
  });
});
