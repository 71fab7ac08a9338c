// Turns a validation case's `hardware` block ({chip, chips, network tiers}) into an internal System.
import { protocolIdForTierName } from "../catalog/protocols.js";
import { resolveChip, resolveProtocol } from "../catalog/resolve.js";
import { topologyFromWord } from "../catalog/topologies/index.js";
import type { System, Tier } from "../catalog/types.js";
import { ZettasimError } from "../core/errors.js";
import { GB, US } from "../core/units.js";

type Path = (string | number)[];

/** One network tier as a validation case writes it (see shared/validation/FORMAT.md). */
export interface CaseTier {
  name: string;
  groupSize?: number;
  bandwidthGBps: number;
  latencyUs?: number;
  oversubscription?: number;
  topology?: string;
  protocol?: string;
}

/** The `hardware` block of a validation case. */
export interface CaseHardware {
  chip: string;
  chips: number;
  network: CaseTier[];
  notes?: string;
}

function bad(path: Path, message: string, value: unknown, expected: string): never {
  throw new ZettasimError([{ path, message, value, expected }]);
}

const isPosNum = (v: unknown): v is number => typeof v === "number" && Number.isFinite(v) && v > 0;
const isPosInt = (v: unknown): v is number => isPosNum(v) && Number.isInteger(v);

/**
 * Builds a System from a validation case's hardware block. The chip comes from the catalog
 * (`resolveChip`), each tier's protocol is guessed from its name (`protocolIdForTierName`) unless
 * given, and the outermost tier spans all chips (its groupSize is forced to `chips`).
 * Errors are ZettasimErrors whose paths start with `path` (e.g. ["cases", 3, "hardware"]).
 * Cost: O(tiers), one zod parse of the chip.
 */
export function systemFromCaseHardware(hw: unknown, path: Path = ["hardware"]): System {
  if (!hw || typeof hw !== "object" || Array.isArray(hw)) {
    bad(path, "missing or malformed hardware block", hw, "an object {chip, chips, network}");
  }
  const h = hw as Record<string, unknown>;
  if (typeof h.chip !== "string" && (typeof h.chip !== "object" || h.chip === null)) {
    bad([...path, "chip"], "missing chip", h.chip, "a catalog chip id such as h100-sxm");
  }
  const chip = resolveChip(h.chip, [...path, "chip"]);
  if (!isPosInt(h.chips)) bad([...path, "chips"], "bad chip count", h.chips, "a whole number >= 1");
  const chips = h.chips;
  if (!Array.isArray(h.network) || h.network.length === 0) {
    bad(
      [...path, "network"],
      "missing network tiers",
      h.network,
      "a non-empty list of tiers, innermost first",
    );
  }
  const net = h.network as unknown[];
  let prev = 1;
  const tiers: Tier[] = net.map((raw, i) => {
    const tp = [...path, "network", i];
    if (!raw || typeof raw !== "object")
      bad(tp, "malformed tier", raw, "an object {name, bandwidthGBps, ...}");
    const t = raw as Record<string, unknown>;
    if (typeof t.name !== "string" || t.name === "")
      bad([...tp, "name"], "missing tier name", t.name, "a string");
    if (!isPosNum(t.bandwidthGBps))
      bad(
        [...tp, "bandwidthGBps"],
        "bad bandwidth",
        t.bandwidthGBps,
        "a number > 0 (GB/s per chip per direction)",
      );
    const last = i === net.length - 1;
    let groupSize: number;
    if (last) groupSize = chips;
    else {
      if (!isPosInt(t.groupSize))
        bad(
          [...tp, "groupSize"],
          "inner tiers need a group size",
          t.groupSize,
          "a whole number of chips >= 1",
        );
      // A job smaller than one inner group (e.g. 4 GPUs of an 8-GPU node) just uses part of it.
      groupSize = Math.min(t.groupSize, chips);
    }
    if (groupSize % prev !== 0 && groupSize !== chips) {
      bad(
        [...tp, "groupSize"],
        "each tier's group must be a whole number of the previous tier's groups",
        t.groupSize,
        `a multiple of ${prev}`,
      );
    }
    prev = Math.max(prev, groupSize);
    const latencyUs = t.latencyUs === undefined ? 0 : t.latencyUs;
    if (typeof latencyUs !== "number" || !Number.isFinite(latencyUs) || latencyUs < 0)
      bad([...tp, "latencyUs"], "bad latency", t.latencyUs, "a number >= 0 (us)");
    const over = t.oversubscription === undefined ? 1 : t.oversubscription;
    if (typeof over !== "number" || !Number.isFinite(over) || over < 1)
      bad(
        [...tp, "oversubscription"],
        "bad oversubscription",
        t.oversubscription,
        "a number >= 1 (1 = full bisection)",
      );
    const protoId = typeof t.protocol === "string" ? t.protocol : protocolIdForTierName(t.name as string);
    return {
      name: t.name as string,
      topology: topologyFromWord(t.topology),
      groupSize,
      bandwidthBytesPerS: (t.bandwidthGBps as number) * GB,
      latencyS: latencyUs * US,
      oversubscription: over,
      protocol: resolveProtocol(protoId, [...tp, "protocol"]),
      perGroup: {
        cabinets: {},
        switches: 0,
        opticalModules: 0,
        powerW: 0,
        cpus: 0,
        cpuMemoryBytes: 0,
        hosts: 0,
        nics: 0,
      },
    };
  });
  return {
    id: `case-${chip.id}-x${chips}`,
    name: `${chips} x ${chip.name}`,
    vendor: chip.vendor,
    chip,
    chips,
    tiers,
    floorM2PerCabinet: 0,
    pue: 1,
    sources: [],
    description: typeof h.notes === "string" ? h.notes : undefined,
  };
}
