// The pipeline-schedule registry: every schedule zettasim models, by id, and the reading of a schedule name from a file.
import { DUALPIPE } from "./dualpipe.js";
import { INTERLEAVED } from "./interleaved.js";
import { ONE_F_ONE_B } from "./one-f-one-b.js";
import type { PipelineScheduleKind, ScheduleId } from "./types.js";
import { ZERO_BUBBLE } from "./zero-bubble.js";

export { interleavedOrder } from "./interleaved-order.js";
export type { PipelineScheduleKind, ScheduleId, StageTask, StageTimes } from "./types.js";

const SCHEDULES: Readonly<Record<ScheduleId, PipelineScheduleKind>> = {
  "1f1b": ONE_F_ONE_B,
  interleaved: INTERLEAVED,
  "zero-bubble": ZERO_BUBBLE,
  dualpipe: DUALPIPE,
};

/** Ids of every schedule, in the order files and errors list them. */
export const scheduleIds = Object.keys(SCHEDULES) as ScheduleId[];

/** The schedule of an id. Cost O(1). */
export function pipelineSchedule(id: ScheduleId): PipelineScheduleKind {
  return SCHEDULES[id];
}

/** The schedules in the order scheduleFromName tries a name against them: more specific names first. */
const BY_SPECIFICITY: readonly PipelineScheduleKind[] = [DUALPIPE, ZERO_BUBBLE, INTERLEAVED, ONE_F_ONE_B];

/**
 * The schedule a file's name means with `vpp` virtual stages per rank (no name: interleaved when vpp > 1,
 * else 1F1B), or undefined when no schedule claims the name. More specific names are tried first
 * (DualPipe before zero-bubble before interleaved before 1F1B). Cost O(schedules).
 */
export function scheduleFromName(name: string | undefined, vpp: number): ScheduleId | undefined {
  if (name === undefined) return ONE_F_ONE_B.withVirtualStages(vpp);
  // An id is already in the normal form (lower case, hyphens): no case fold and no regular expression per job.
  const n = Object.hasOwn(SCHEDULES, name) ? name : name.toLowerCase().replace(/[\s_]/g, "-");
  for (const s of BY_SPECIFICITY) if (s.matches(n)) return s.withVirtualStages(vpp);
  return undefined;
}
