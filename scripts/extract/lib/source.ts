// Reads files of a public repository at a pinned commit for the extraction scripts: from a git directory (as
// `fetch github:owner/name` leaves one) or from a folder holding the files at that commit; parquet tables decoded with
// hyparquet (devDependency), their ZSTD pages through Debian's `zstd` command.
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync, realpathSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { parquetMetadata, parquetReadObjects } from "hyparquet";

/** NVIDIA's aiconfigurator (github.com/ai-dynamo/aiconfigurator): the commit most extractions read (2026 tables). */
export const AICONFIGURATOR_COMMIT = "095f58a51c4c";
/** Its per-system measured tables: <system>/<op>/<framework>/<version>/<table>.parquet. */
export const AICONFIGURATOR_DATA = "aic-core/src/aiconfigurator_core/systems/data";

/** Where the files come from: `git` reads `<commit>:<path>` from a git directory; `folder` reads `<root>/<path>`. */
export interface Source {
  kind: "git" | "folder";
  root: string;
  commit: string;
}

/** A bad command line or a source that does not hold what the script expects. */
export class ExtractError extends Error {
  override name = "ExtractError";
}

/**
 * Opens the source named on the command line. A git directory (or a checkout with .git) must hold `commit`; a plain
 * folder is taken to be that commit's files (the script cannot check it, and says so on stderr).
 */
export function openSource(root: string | undefined, commit: string, usage: string): Source {
  if (root === undefined) throw new ExtractError(`missing argument: ${usage}`);
  if (!existsSync(root)) throw new ExtractError(`source ${root} does not exist; ${usage}`);
  const gitDir =
    existsSync(join(root, "objects")) && existsSync(join(root, "HEAD")) ? root : join(root, ".git");
  if (existsSync(gitDir)) {
    try {
      execFileSync("git", ["--git-dir", gitDir, "cat-file", "-e", `${commit}^{commit}`], { stdio: "ignore" });
    } catch {
      throw new ExtractError(`git directory ${gitDir} has no commit ${commit}; fetch the repository again`);
    }
    return { kind: "git", root: gitDir, commit };
  }
  process.stderr.write(`note: ${root} is a plain folder; taking it to be commit ${commit} unchecked\n`);
  return { kind: "folder", root, commit };
}

/** The bytes of one file at the source's commit. */
export function readSourceFile(source: Source, path: string): Buffer {
  if (source.kind === "folder") {
    const full = join(source.root, path);
    if (!existsSync(full)) throw new ExtractError(`${full} does not exist`);
    return readFileSync(full);
  }
  try {
    return execFileSync("git", ["--git-dir", source.root, "show", `${source.commit}:${path}`], {
      maxBuffer: 1 << 30,
      stdio: ["ignore", "pipe", "pipe"],
    });
  } catch {
    throw new ExtractError(`${source.commit}:${path} is not in ${source.root}`);
  }
}

/** ZSTD frame decompression through the `zstd` command (Debian package zstd); one call per parquet page. */
function zstdDecompress(input: Uint8Array, outputLength: number): Uint8Array {
  let out: Buffer;
  try {
    out = execFileSync("zstd", ["-d", "-c", "-q"], {
      input,
      maxBuffer: Math.max(outputLength, 1) * 2 + 1024,
    });
  } catch (e) {
    const missing = (e as NodeJS.ErrnoException).code === "ENOENT";
    throw new ExtractError(
      missing ? "no zstd command: apt-get install zstd" : `zstd failed: ${(e as Error).message}`,
    );
  }
  if (out.length !== outputLength) {
    throw new ExtractError(
      `zstd gave ${out.length} bytes where the parquet page header says ${outputLength}`,
    );
  }
  return new Uint8Array(out.buffer, out.byteOffset, out.length);
}

/** A table row: column name to value; INT64 columns come back as numbers (every value here is a safe integer). */
export type Row = Record<string, unknown>;

/** Every row of a parquet file, in file order. */
export async function readParquet(bytes: Uint8Array): Promise<Row[]> {
  const file = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  parquetMetadata(file); // throws a named hyparquet error on a Git LFS pointer or a truncated file
  const rows = (await parquetReadObjects({ file, compressors: { ZSTD: zstdDecompress } })) as Row[];
  for (const row of rows) {
    for (const [k, v] of Object.entries(row)) {
      if (typeof v === "bigint") {
        if (v > BigInt(Number.MAX_SAFE_INTEGER) || v < BigInt(Number.MIN_SAFE_INTEGER)) {
          throw new ExtractError(`column ${k}: ${v} is not a safe integer`);
        }
        row[k] = Number(v);
      }
    }
  }
  return rows;
}

/** A numeric column value, or a named error naming the column, the value and the row. */
export function num(row: Row, column: string): number {
  const v = row[column];
  if (typeof v !== "number") throw new ExtractError(`column ${column}: ${String(v)} is not a number`);
  return v;
}

/** A string column value, or a named error. */
export function str(row: Row, column: string): string {
  const v = row[column];
  if (typeof v !== "string") throw new ExtractError(`column ${column}: ${String(v)} is not a string`);
  return v;
}

/** Whether the module at `moduleUrl` is the script node was started with (so a test can import it without running it). */
export function isMain(moduleUrl: string): boolean {
  return process.argv[1] !== undefined && moduleUrl === pathToFileURL(realpathSync(process.argv[1])).href;
}
