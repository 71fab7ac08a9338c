// What share of a switch's failures are the device itself crashing, for sources that count only crashes.

/**
 * Root causes of intra-data-center network incidents at Facebook, 2011-2018 (Meza, Xu, Veeraraghavan, Mutlu,
 * "A Large Scale Study of Data Center Network Reliability", IMC 2018, Table 2): a failure there is any network
 * device misbehaviour, as in the model's switch rate (Llama 3's "network switch/cable" interruptions, whatever
 * their cause). Fractions of all incidents.
 */
export const NETWORK_INCIDENT_ROOT_CAUSES = {
  maintenance: 0.17,
  hardware: 0.13,
  misconfiguration: 0.13,
  /** Logical errors in network device software or firmware. */
  bug: 0.12,
  accidents: 0.11,
  capacityPlanning: 0.05,
  undetermined: 0.29,
} as const;

export type RootCauseTable = { readonly [cause: string]: number; readonly undetermined: number };

/**
 * Share of switch failures that are the device crashing on its own (a hardware fault or a bug in its software or
 * firmware), against those caused from outside (maintenance, misconfiguration, accidents, load). Incidents of
 * undetermined cause are split like the determined ones: (hardware + bug) / (1 - undetermined). For Meza et al.:
 * 0.25 / 0.71 = 0.352. Used where a source counts switch "critical errors and crashes" only (Alibaba HPN).
 * Cost: O(1).
 */
export function deviceCrashShare(t: RootCauseTable = NETWORK_INCIDENT_ROOT_CAUSES): number {
  const determined = 1 - t.undetermined;
  if (!(determined > 0)) throw new RangeError("no determined root causes");
  return ((t.hardware ?? 0) + (t.bug ?? 0)) / determined;
}
