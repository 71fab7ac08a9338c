// `zettasim plan size`: placeholder replaced below.
import type { Command } from "commander";
export function registerPlanSize(_plan: Command): void {}
