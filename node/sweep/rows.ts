// A sweep's JSONL output file: the rows already done (to resume), appending new ones as they come, and the final
// rewrite in point order, so a finished file is the same whoever computed its rows and in which order.
import {
  closeSync,
  existsSync,
  openSync,
  readFileSync,
  renameSync,
  truncateSync,
  writeFileSync,
  writeSync,
} from "node:fs";
import { ZettasimError } from "../../src/core/errors.js";
import type { SweepRow } from "../../src/sweep/point.js";

/** The output of one sweep: ids already written, and a handle to append more (or the lines, kept in memory). */
export class RowFile {
  /** The JSONL file, or undefined for rows kept in memory. */
  readonly path: string | undefined;
  readonly sweepId: string;
  private readonly ids = new Set<string>();
  private fd: number | undefined;
  private readonly kept: string[] | undefined;

  private constructor(path: string | undefined, sweepId: string) {
    this.path = path;
    this.sweepId = sweepId;
    if (path === undefined) this.kept = [];
  }

  /** Rows of sweep `sweepId` kept in memory (a planner's re-ranking, say), nothing on disk. */
  static memory(sweepId: string): RowFile {
    return new RowFile(undefined, sweepId);
  }

  /**
   * Opens `path` for sweep `sweepId`: rows already there count as done (a partial last line from a crash is cut
   * off); a file holding another sweep's rows is refused rather than mixed. Cost: one read of the file.
   */
  static open(path: string, sweepId: string): RowFile {
    const f = new RowFile(path, sweepId);
    if (existsSync(path)) {
      const text = readFileSync(path, "utf8");
      let good = 0;
      let at = 0;
      while (at < text.length) {
        const nl = text.indexOf("\n", at);
        if (nl < 0) break;
        const line = text.slice(at, nl);
        let row: Partial<SweepRow>;
        try {
          row = JSON.parse(line);
        } catch {
          break;
        }
        if (row.sweep !== sweepId)
          throw new ZettasimError([
            {
              path: ["--out"],
              message: `${path} holds rows of another sweep (${String(row.sweep)}); this sweep is ${sweepId}`,
              expected: "a new --out file, or remove the old one",
            },
          ]);
        if (typeof row.id === "string") f.ids.add(row.id);
        at = nl + 1;
        good = at;
      }
      if (good < Buffer.byteLength(text)) truncateSync(path, Buffer.byteLength(text.slice(0, good)));
    }
    f.fd = openSync(path, "a");
    return f;
  }

  /** Rows already in the file. */
  get size(): number {
    return this.ids.size;
  }

  has(id: string): boolean {
    return this.ids.has(id);
  }

  /** Appends rows (JSON text keyed by point id) not yet in the file; returns how many were new. */
  append(entries: readonly (readonly [string, string])[]): number {
    let text = "";
    let n = 0;
    for (const [id, json] of entries) {
      if (this.ids.has(id)) continue;
      this.ids.add(id);
      text += `${json}\n`;
      n++;
    }
    if (text && this.fd !== undefined) writeSync(this.fd, text);
    if (text && this.kept) this.kept.push(text);
    return n;
  }

  close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }

  /** Closes the file and rewrites it in point order (atomically, lines unchanged); returns its rows. Cost: O(rows log rows). */
  finish(): SweepRow[] {
    this.close();
    const text = this.path === undefined ? (this.kept ?? []).join("") : readFileSync(this.path, "utf8");
    const lines = text.split("\n").filter((l) => l.trim() !== "");
    const rows = lines.map((line) => ({ line, row: JSON.parse(line) as SweepRow }));
    rows.sort((a, b) => a.row.index - b.row.index);
    if (this.path !== undefined) {
      const tmp = `${this.path}.tmp`;
      writeFileSync(tmp, rows.map((r) => `${r.line}\n`).join(""));
      renameSync(tmp, this.path);
    }
    return rows.map((r) => r.row);
  }
}

/** Every row of a JSONL file. */
export function readRows(path: string): SweepRow[] {
  return readFileSync(path, "utf8")
    .split("\n")
    .filter((l) => l.trim() !== "")
    .map((l) => JSON.parse(l) as SweepRow);
}
