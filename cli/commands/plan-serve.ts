// `zettasim plan serve`: placeholder replaced below.
import type { Command } from "commander";
export function registerPlanServe(_plan: Command): void {}
