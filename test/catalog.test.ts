// Catalog integrity: every entry resolves, and every numeric field of every chip, protocol and system is covered by a source.
import { describe, expect, it } from "vitest";
import { CHIP_FILES } from "../src/catalog/chips.js";
import { resolveModel } from "../src/catalog/models-resolve.js";
import { PROTOCOL_FILES, protocolIdForTierName } from "../src/catalog/protocols.js";
import { chipIds, resolveChip, resolveProtocol, resolveSystem, systemIds } from "../src/catalog/resolve.js";
import { SYSTEM_FILES } from "../src/catalog/systems.js";

describe("unknown ids", () => {
  it("name the nearest catalog id when the given one is a near miss", () => {
    expect(() => resolveSystem("dgx-h100-superpd")).toThrow(
      /unknown system id, did you mean dgx-h100-superpod\?/,
    );
    expect(() => resolveModel("llama3-70")).toThrow(/unknown model id, did you mean llama3-70b\?/);
    expect(() => resolveChip("h100-sx")).toThrow(/unknown chip id, did you mean h100-sxm\?/);
    expect(() => resolveSystem("zzzzzz")).toThrow(/unknown system id \(got "zzzzzz", expected one of/);
  });
});

type Source = { fields: string[]; source: string; confidence: string; note?: string };

/** Dotted paths of every number in a file-format entry; named lists (tiers) are addressed by name. `year` is a date, not a figure. */
function numericPaths(value: unknown, prefix = ""): string[] {
  if (typeof value === "number") return [prefix];
  if (Array.isArray(value)) {
    return value.flatMap((v, i) => {
      const key =
        v && typeof v === "object" && "name" in v ? String((v as { name: string }).name) : String(i);
      return numericPaths(v, prefix ? `${prefix}.${key}` : key);
    });
  }
  if (value && typeof value === "object") {
    return Object.entries(value).flatMap(([k, v]) =>
      k === "sources" || k === "year" ? [] : numericPaths(v, prefix ? `${prefix}.${k}` : k),
    );
  }
  return [];
}

function uncovered(entry: { sources?: Source[] }): string[] {
  const fields = (entry.sources ?? []).flatMap((s) => s.fields);
  return numericPaths(entry).filter((p) => !fields.some((f) => p === f || p.startsWith(`${f}.`)));
}

/** Source field paths that name nothing in the entry (typos would silently cover nothing). */
function dangling(entry: { sources?: Source[] }): string[] {
  const paths = [...numericPaths(entry), ...allPaths(entry)];
  return (entry.sources ?? [])
    .flatMap((s) => s.fields)
    .filter((f) => !paths.some((p) => p === f || p.startsWith(`${f}.`)));
}

function allPaths(value: unknown, prefix = ""): string[] {
  if (Array.isArray(value)) {
    return value.flatMap((v, i) => {
      const key =
        v && typeof v === "object" && "name" in v ? String((v as { name: string }).name) : String(i);
      return allPaths(v, prefix ? `${prefix}.${key}` : key);
    });
  }
  if (value && typeof value === "object") {
    return Object.entries(value).flatMap(([k, v]) => {
      const p = prefix ? `${prefix}.${k}` : k;
      return k === "sources" ? [] : [p, ...allPaths(v, p)];
    });
  }
  return prefix ? [prefix] : [];
}

const entries = [
  ...CHIP_FILES.map((e) => ["chip", e] as const),
  ...PROTOCOL_FILES.map((e) => ["protocol", e] as const),
  ...SYSTEM_FILES.map((e) => ["system", e] as const),
];

describe("catalog sources", () => {
  it.each(entries.map(([kind, e]) => [`${kind} ${e.id}`, e]))(
    "%s: every numeric field has a source",
    (_, e) => {
      expect(uncovered(e as { sources?: Source[] })).toEqual([]);
    },
  );

  it.each(entries.map(([kind, e]) => [`${kind} ${e.id}`, e]))(
    "%s: every source names existing fields",
    (_, e) => {
      expect(dangling(e as { sources?: Source[] })).toEqual([]);
    },
  );

  it("assumptions say why (confidence A needs a note or a named source)", () => {
    for (const [, e] of entries) {
      for (const s of (e as { sources?: Source[] }).sources ?? []) {
        if (s.confidence === "A" && s.source === "assumption")
          expect(s.note, `${e.id}: ${s.fields}`).toBeTruthy();
      }
    }
  });

  it("the coverage check fails on an unsourced field", () => {
    const chip = { ...CHIP_FILES[0], powerW: 1, sources: [] };
    expect(uncovered(chip)).toContain("powerW");
  });
});

describe("catalog resolution", () => {
  it("has the chips and systems the brief lists", () => {
    for (const id of [
      "a100-sxm-80gb",
      "h100-sxm",
      "h800-sxm",
      "h200-sxm",
      "b200",
      "gb200",
      "gb300",
      "rubin",
      "tpu-v4",
      "tpu-v5p",
      "ascend-910b",
      "ascend-910c",
      "ascend-950pr",
      "ascend-950dt",
      "ascend-960",
      "ascend-970",
    ])
      expect(chipIds()).toContain(id);
    for (const id of [
      "atlas-900-a3-superpod",
      "atlas-950-superpod",
      "atlas-950-superpod-ubmesh",
      "atlas-960-superpod",
      "atlas-950-supercluster",
      "atlas-950-supercluster-uboe",
      "atlas-950-supercluster-roce",
      "atlas-960-supercluster",
      "gb200-nvl72",
      "gb300-nvl72",
      "vr-nvl144",
      "dgx-a100-superpod",
      "dgx-h100-superpod",
      "tpu-v4-pod",
      "tpu-v5p-pod",
    ])
      expect(systemIds()).toContain(id);
  });

  it("every chip, protocol and system resolves", () => {
    for (const id of chipIds()) expect(resolveChip(id).id).toBe(id);
    for (const p of PROTOCOL_FILES) expect(resolveProtocol(p.id).id).toBe(p.id);
    for (const id of systemIds()) {
      const s = resolveSystem(id);
      expect(s.tiers.at(-1)?.groupSize).toBe(s.chips);
    }
  });

  it("ids are unique", () => {
    expect(new Set(chipIds()).size).toBe(chipIds().length);
    expect(new Set(systemIds()).size).toBe(systemIds().length);
  });

  it("dense FP4 >= FP8 >= BF16 on every chip that has them", () => {
    for (const id of chipIds()) {
      const f = resolveChip(id).peakFlops;
      if (f.fp4 && f.fp8) expect(f.fp4).toBeGreaterThanOrEqual(f.fp8);
      if (f.fp8 && f.bf16) expect(f.fp8).toBeGreaterThanOrEqual(f.bf16);
    }
  });

  it("DGX H100 SuperPOD scales to 16,384 GPUs by chip count alone", () => {
    const s = resolveSystem({ extends: "dgx-h100-superpod", chips: 16384 });
    expect(s.chips).toBe(16384);
    expect(s.tiers.map((t) => t.groupSize)).toEqual([8, 16384]);
  });

  it("rubin is one die: NVL144 counts 144 of them, 288 GB HBM per two-die package", () => {
    const r = resolveChip("rubin");
    expect(r.memoryBytes * 2).toBe(288e9);
    expect(resolveSystem("vr-nvl144").chips).toBe(144);
  });
});

describe("protocol from a validation tier's name", () => {
  it("reads whole words, so a TPU 'ici-cube' tier is ICI and not UnifiedBus", () => {
    const f = protocolIdForTierName;
    expect(f("ici-cube")).toBe("ici");
    expect(f("infiniband-ndr")).toBe("infiniband");
    expect(f("nvlink")).toBe("nvlink");
    expect(f("ub-mesh")).toBe("unifiedbus");
    expect(f("uboe")).toBe("uboe");
    expect(f("roce")).toBe("roce");
    expect(f("hub")).toBe("ethernet");
    expect(f("xgmi")).toBe("xgmi");
    expect(f("infinity-fabric")).toBe("xgmi");
  });
});
