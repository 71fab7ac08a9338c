// Shared fixtures for the failure-model tests: a checkpoint setup and options built on it.
import { GB } from "../core/units.js";
import type { ReliabilityOptions } from "./model.js";

/** A 5 TB checkpoint written and read at 1 TB/s to storage (Llama-3-405B class). */
export const TEST_CHECKPOINT: ReliabilityOptions["checkpoint"] = {
  sizeBytes: 5e12,
  writeBytesPerS: 1000 * GB,
  readBytesPerS: 1000 * GB,
  inMemory: false,
  inMemoryBytesPerSPerChip: 25 * GB,
};

/** Reliability options with the test checkpoint and any overrides. */
export const testOptions = (o: Partial<ReliabilityOptions> = {}): ReliabilityOptions => ({
  checkpoint: TEST_CHECKPOINT,
  ...o,
});
