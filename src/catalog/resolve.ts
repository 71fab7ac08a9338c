// Turns catalog ids, inline definitions and "extends" overrides into validated internal (SI) chips and systems.

import type { z } from "zod";
import { type InputIssue, unknownIdMessage, ZettasimError } from "../core/errors.js";
import { GB, KW, MiB, TB, TFLOPS, US } from "../core/units.js";
import {
  type ChipFile,
  chipFile,
  type ProtocolFile,
  protocolFile,
  type SystemFile,
  systemFile,
} from "../schema/hardware.js";
import { issuesFromZod } from "../schema/issues.js";
import { CHIP_FILES } from "./chips.js";
import { chipFamily } from "./families/index.js";
import { mergeOverride } from "./merge.js";
import { PROTOCOL_FILES } from "./protocols.js";
import { SYSTEM_FILES } from "./systems.js";
import { topologyTraits } from "./topologies/index.js";
import { type Chip, PRECISIONS, type Precision, type Protocol, type System, type Tier } from "./types.js";

type Path = (string | number)[];

function parseWith<S extends z.ZodType>(schema: S, value: unknown, path: Path): z.output<S> {
  const r = schema.safeParse(value, { reportInput: true });
  if (!r.success) throw new ZettasimError(issuesFromZod(r.error, path, schema));
  return r.data;
}

function unknownId(kind: string, id: string, known: string[], path: Path): never {
  throw new ZettasimError([
    { path, message: unknownIdMessage(kind, id, known), value: id, expected: `one of ${known.join(", ")}` },
  ]);
}

/** Catalog chip ids, in catalog order. */
export const chipIds = (): string[] => CHIP_FILES.map((c) => c.id);
/** Catalog system ids, in catalog order. */
export const systemIds = (): string[] => SYSTEM_FILES.map((s) => s.id);
export const protocolIds = (): string[] => PROTOCOL_FILES.map((p) => p.id);

function findFile<T extends { id: string }>(list: T[], id: string, kind: string, path: Path): T {
  const f = list.find((x) => x.id === id);
  if (!f)
    unknownId(
      kind,
      id,
      list.map((x) => x.id),
      path,
    );
  return f;
}

/** Expands a reference (id, inline object, or {extends: id, ...overrides}) into a full file-format object. */
function expand<T extends { id: string }>(ref: unknown, list: T[], kind: string, path: Path): unknown {
  if (typeof ref === "string") return findFile(list, ref, kind, path);
  if (ref && typeof ref === "object" && "extends" in ref) {
    const baseId = (ref as { extends: unknown }).extends;
    if (typeof baseId !== "string") {
      throw new ZettasimError([
        { path: [...path, "extends"], message: `expected a ${kind} id`, value: baseId },
      ]);
    }
    const base = findFile(list, baseId, kind, [...path, "extends"]);
    const merged = mergeOverride(base, ref, path) as Record<string, unknown>;
    // A derived entry keeps the base id unless it names its own.
    if (!("id" in (ref as object))) merged.id = `${baseId}+custom`;
    return merged;
  }
  return ref;
}

export function chipFromFile(f: z.output<typeof chipFile>): Chip {
  const peakFlops: Partial<Record<Precision, number>> = {};
  for (const p of PRECISIONS) {
    const v = f.peakTflops[p];
    if (v !== undefined) peakFlops[p] = v * TFLOPS;
  }
  return {
    id: f.id,
    name: f.name,
    vendor: f.vendor,
    year: f.year,
    peakFlops,
    formats: f.formats ?? PRECISIONS.filter((p) => peakFlops[p] !== undefined),
    memoryBytes: f.memoryGB * GB,
    memoryBandwidthBytesPerS: f.memoryBandwidthTBps * TB,
    scaleUpBandwidthBytesPerS: f.scaleUpBandwidthGBps * GB,
    scaleOutBandwidthBytesPerS: f.scaleOutBandwidthGBps * GB,
    powerW: f.powerW,
    ratedPowerW: f.ratedPowerW ?? f.powerW,
    family: f.family ?? "generic",
    devicesPerPackage: f.devicesPerPackage ?? 1,
    // Not given: PCIe Gen4 x16, 32 GB/s per direction (A).
    hostLinkBandwidthBytesPerS: (f.hostLinkBandwidthGBps ?? 32) * GB,
    sfuExpRateRelative: f.sfuExpRateRelative ?? 1,
    gemmSustainedRelative: f.gemmSustainedRelative ?? 1,
    hostOpTimeRelative: f.hostOpTimeRelative ?? 1,
    memoryStreamingFraction: f.memoryStreamingFraction,
    matrixUnitWidth: f.matrixUnitWidth,
    vectorMemoryBytes: f.vectorMemoryMiB === undefined ? undefined : f.vectorMemoryMiB * MiB,
    sources: f.sources,
  };
}

/**
 * A chip that extends a catalog chip keeps the base's rated power (`ratedPowerW`, else its `powerW`) unless it
 * names its own, so a derived chip's `powerW` below that is read as a power limit. Cost O(catalog size).
 */
function keepRatedPower(ref: unknown, merged: unknown): unknown {
  if (!ref || typeof ref !== "object" || !("extends" in ref) || !merged || typeof merged !== "object")
    return merged;
  if ("ratedPowerW" in merged) return merged;
  const base = CHIP_FILES.find((c) => c.id === (ref as { extends: unknown }).extends);
  return base === undefined ? merged : { ...merged, ratedPowerW: base.ratedPowerW ?? base.powerW };
}

/** A chip from a catalog id, an inline definition, or {extends: id, ...overrides}. Throws ZettasimError naming `path`. */
export function resolveChip(ref: unknown, path: Path = ["chip"]): Chip {
  const chip = chipFromFile(
    parseWith(chipFile, keepRatedPower(ref, expand(ref, CHIP_FILES, "chip", path)), path),
  );
  chipFamily(chip.family, [...path, "family"]);
  return chip;
}

export function protocolFromFile(f: z.output<typeof protocolFile>): Protocol {
  return {
    id: f.id,
    name: f.name,
    headerEfficiency: f.headerEfficiency,
    staticLatencyS: f.staticLatencyUs * US,
    ...(f.allToAllCall === undefined
      ? {}
      : {
          allToAllCall: [...f.allToAllCall]
            .sort((a, b) => a.ranks - b.ranks)
            .map((r) => ({ ranks: r.ranks, s: r.us * US, lineShare: r.lineShare })),
        }),
    sources: f.sources,
  };
}

/** A protocol from a catalog id or an inline definition. */
export function resolveProtocol(ref: unknown, path: Path = ["protocol"]): Protocol {
  return protocolFromFile(
    parseWith(
      protocolFile,
      expand(ref, PROTOCOL_FILES as (ProtocolFile & { id: string })[], "protocol", path),
      path,
    ),
  );
}

export function systemFromFile(f: z.output<typeof systemFile>, path: Path = ["system"]): System {
  const chip = resolveChip(f.chip, [...path, "chip"]);
  const tiers: Tier[] = f.tiers.map((t, i) => {
    const tp = [...path, "tiers", i];
    const topo = typeof t.topology === "string" ? { kind: t.topology } : t.topology;
    const g = t.perGroup ?? {};
    return {
      name: t.name,
      topology: topo,
      groupSize: t.groupSize ?? f.chips,
      bandwidthBytesPerS: t.bandwidthGBps * GB,
      latencyS: (t.latencyUs ?? 0) * US,
      oversubscription: t.oversubscription ?? 1,
      protocol: resolveProtocol(t.protocol ?? "ethernet", [...tp, "protocol"]),
      perGroup: {
        cabinets: { ...(g.cabinets ?? {}) },
        switches: g.switches ?? 0,
        opticalModules: g.opticalModules ?? 0,
        powerW: (g.powerKW ?? 0) * KW,
        cpus: g.cpus ?? 0,
        cpuMemoryBytes: (g.cpuMemoryGB ?? 0) * GB,
        hosts: g.hosts ?? 0,
        nics: g.nics ?? 0,
      },
      switchPowerW: t.switchPowerW,
      opticalModulePowerW: t.opticalModulePowerW,
      switchesPerCabinet: t.switchesPerCabinet,
    };
  });
  checkTiers(tiers, f.chips, path, chip.scaleOutBandwidthBytesPerS / GB || 50);
  checkTopologies(tiers, path);
  return {
    id: f.id,
    name: f.name,
    vendor: f.vendor,
    year: f.year,
    description: f.description,
    chip,
    chips: f.chips,
    tiers,
    floorM2PerCabinet: f.floorM2PerCabinet ?? 0,
    pue: f.pue ?? 1,
    sources: f.sources,
  };
}

/** Tier group sizes must grow outward, divide each other, and the outermost must hold every chip (no unjoined groups). */
function checkTiers(tiers: Tier[], chips: number, path: Path, scaleOutGBps: number) {
  let prev = 1;
  tiers.forEach((t, i) => {
    if (t.groupSize < prev || t.groupSize % prev !== 0) {
      throw new ZettasimError([
        {
          path: [...path, "tiers", i, "groupSize"],
          message: "each tier's group must be a whole number of the previous tier's groups",
          value: t.groupSize,
          expected: `a multiple of ${prev}`,
        },
      ]);
    }
    if (t.groupSize > chips) {
      throw new ZettasimError([
        {
          path: [...path, "tiers", i, "groupSize"],
          message: "a tier's group cannot hold more chips than the system has",
          value: t.groupSize,
          expected: `at most ${chips}`,
        },
      ]);
    }
    prev = t.groupSize;
  });
  if (prev !== chips) {
    // Groups that no tier joins would leave the system without a network between them.
    const last = tiers[tiers.length - 1];
    const groups = chips / prev;
    const what = Number.isInteger(groups)
      ? `${chips} chips make ${groups} groups of ${prev} (tier ${last.name}) and no tier joins them`
      : `${chips} chips are not a whole number of ${prev}-chip groups (tier ${last.name})`;
    throw new ZettasimError([
      {
        path: [...path, "chips"],
        message: what,
        value: chips,
        expected: `${prev}, or an outer tier that joins the groups, e.g. tiers: [{ name: scale-out, topology: fat-tree, bandwidthGBps: ${scaleOutGBps} }] (its group, left out, spans every chip)`,
      },
    ]);
  }
}

/** Each tier's topology parameters must fit the number of sub-groups it joins (e.g. torus dims multiply to it). */
function checkTopologies(tiers: Tier[], path: Path) {
  tiers.forEach((t, i) => {
    const members = t.groupSize / (i === 0 ? 1 : tiers[i - 1].groupSize);
    const problem = topologyTraits(t.topology.kind).check(t.topology, members, t.groupSize);
    if (problem) {
      throw new ZettasimError([
        {
          path: [...path, "tiers", i, "topology", problem.field],
          message: problem.message,
          value: t.topology[problem.field],
          expected: problem.expected,
        },
      ]);
    }
  });
}

/** A system from a catalog id, an inline definition, or {extends: id, ...overrides} (tiers merge by name). */
export function resolveSystem(ref: unknown, path: Path = ["system"]): System {
  const expanded = expand(ref, SYSTEM_FILES as (SystemFile & { id: string })[], "system", path);
  try {
    return systemFromFile(parseWith(systemFile, expanded, path), path);
  } catch (e) {
    if (e instanceof ZettasimError && expanded !== ref) throw pointAtUserTiers(e, ref, expanded, path);
    throw e;
  }
}

/**
 * Tiers of an `extends` override merge by name, so an error found in merged tier j is rewritten to name the tier
 * where the user wrote it (their index i), or, for a tier inherited unchanged, to say it came from the base.
 */
function pointAtUserTiers(e: ZettasimError, ref: unknown, merged: unknown, path: Path): ZettasimError {
  const names = (v: unknown): unknown[] => {
    const tiers = (v as { tiers?: unknown } | null)?.tiers;
    return Array.isArray(tiers) ? tiers.map((t) => (t as { name?: unknown } | null)?.name) : [];
  };
  const mergedNames = names(merged);
  const userNames = names(ref);
  const base = (ref as { extends?: unknown }).extends;
  const at = path.length + 1;
  const baseNames = typeof base === "string" ? names(SYSTEM_FILES.find((f) => f.id === base)) : [];
  const renamed = new Set<number>();
  const issues: InputIssue[] = [];
  for (const issue of e.issues) {
    const p = issue.path;
    const isTier = p.length > at && p[at - 1] === "tiers" && typeof p[at] === "number";
    if (!isTier || path.some((x, i) => p[i] !== x)) {
      issues.push(issue);
      continue;
    }
    const name = mergedNames[p[at] as number];
    const i = userNames.indexOf(name);
    if (i < 0) {
      issues.push({
        ...issue,
        message: `${issue.message} (in tier "${String(name)}" inherited from ${String(base)})`,
      });
    } else if (!baseNames.includes(name) && issue.message === "required field is missing") {
      // A tier name the base lacks makes a new tier; most often it is a misspelt name of one to override.
      if (renamed.has(i)) continue;
      renamed.add(i);
      issues.push({
        path: [...p.slice(0, at), i, "name"],
        message: `${String(base)} has no tier of that name, and a new tier needs its topology and bandwidthGBps`,
        value: name,
        expected: `one of ${baseNames.join(", ")} to override it, or a complete new tier`,
      });
    } else issues.push({ ...issue, path: [...p.slice(0, at), i, ...p.slice(at + 1)] });
  }
  return new ZettasimError(issues, e.file);
}

/** The file-format entry behind a catalog chip (with its sources), for listing and docs. */
export const chipFileById = (id: string): ChipFile => findFile(CHIP_FILES, id, "chip", ["chip"]);
export const systemFileById = (id: string): SystemFile => findFile(SYSTEM_FILES, id, "system", ["system"]);
