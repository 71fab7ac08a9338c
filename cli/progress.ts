// Progress of a long CLI run on stderr: a bar with an ETA on a terminal, occasional plain lines with an ETA otherwise (a log, CI).
import cliProgress from "cli-progress";
import { fmtDuration, fmtInt } from "../src/core/units.js";

/** What a command reports as it goes: `start` (again for a new phase, which restarts the ETA), `update`, `stop`. */
export interface Progress {
  start(total: number, value?: number, payload?: Record<string, unknown>): void;
  update(value: number, payload?: Record<string, unknown>): void;
  stop(): void;
}

/** Seconds before the first plain line (a run shorter than this prints none) and between plain lines. */
export const PLAIN_FIRST_S = 2;
export const PLAIN_EVERY_S = 10;

/** The time left at the average rate since the phase started, in words; "unknown" before any progress. */
export function etaText(elapsedS: number, value: number, total: number, startValue = 0): string {
  const done = value - startValue;
  if (!(done > 0) || !(elapsedS > 0)) return "unknown";
  const left = ((total - value) * elapsedS) / done;
  return left <= 0 ? "0 s" : fmtDuration(left);
}

/**
 * Plain progress lines for a stderr that is not a terminal: `zettasim: <label>: 1,234/5,678 <unit> (21%), about
 * 3.20 min left`, the first after PLAIN_FIRST_S seconds and then at most every PLAIN_EVERY_S, so a short run
 * stays silent and a log gets a few lines, never a redrawn bar. `now` gives seconds (injectable for tests).
 */
export class PlainProgress implements Progress {
  private t0 = 0;
  private v0 = 0;
  private total = 0;
  private last = Number.NEGATIVE_INFINITY;
  private unit: string;
  constructor(
    private readonly label: string,
    unit: string,
    private readonly write: (line: string) => void = (l) => process.stderr.write(l),
    private readonly now: () => number = () => performance.now() / 1000,
  ) {
    this.unit = unit;
  }
  start(total: number, value = 0, payload?: Record<string, unknown>): void {
    this.t0 = this.now();
    this.v0 = value;
    this.total = total;
    this.last = this.t0 - PLAIN_EVERY_S + PLAIN_FIRST_S;
    if (typeof payload?.what === "string") this.unit = payload.what;
  }
  update(value: number): void {
    const t = this.now();
    if (t - this.last < PLAIN_EVERY_S || this.total <= 0) return;
    this.last = t;
    const pct = Math.floor((100 * value) / this.total);
    const eta = etaText(t - this.t0, value, this.total, this.v0);
    this.write(
      `zettasim: ${this.label}: ${fmtInt(value)}/${fmtInt(this.total)} ${this.unit} (${pct}%), about ${eta} left\n`,
    );
  }
  stop(): void {}
}

/**
 * Plain progress lines for a run whose end is not known ahead (a simulation counts simulated time, not a share of
 * a total): `zettasim: <label>: <what>, <elapsed> elapsed`, at the same times as PlainProgress (the first after
 * PLAIN_FIRST_S, then at most every PLAIN_EVERY_S), with no share and no ETA, since there is nothing to divide by.
 */
export class PlainTicker {
  private readonly t0: number;
  private last: number;
  constructor(
    private readonly label: string,
    private readonly write: (line: string) => void = (l) => process.stderr.write(l),
    private readonly now: () => number = () => performance.now() / 1000,
  ) {
    this.t0 = this.now();
    this.last = this.t0 - PLAIN_EVERY_S + PLAIN_FIRST_S;
  }
  /** `what` is called only when a line is due (it may format a figure). */
  tick(what: () => string): void {
    const t = this.now();
    if (t - this.last < PLAIN_EVERY_S) return;
    this.last = t;
    this.write(`zettasim: ${this.label}: ${what()}, ${fmtDuration(t - this.t0)} elapsed\n`);
  }
}

/**
 * Progress on stderr for `label` counting `unit`, or undefined when disabled (--json keeps stderr for errors).
 * `format` is the bar's cli-progress format on a terminal; it should show {eta_formatted}.
 */
export function progressOnStderr(
  enabled: boolean,
  label: string,
  unit: string,
  format?: string,
  barOptions: cliProgress.Options = {},
): Progress | undefined {
  if (!enabled) return undefined;
  if (process.stderr.isTTY !== true) return new PlainProgress(label, unit);
  return new cliProgress.SingleBar(
    {
      format: format ?? `  ${label} [{bar}] {percentage}% | {value}/{total} ${unit} | ETA {eta_formatted}`,
      stream: process.stderr,
      clearOnComplete: true,
      etaBuffer: 50,
      ...barOptions,
    },
    cliProgress.Presets.shades_classic,
  );
}
