// Starts Debian's redis-server for tests and benchmarks: 127.0.0.1, a free port, its own data folder, AOF on so
// a restart keeps what was written. Never a service on the machine: the caller stops it.
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** A redis-server this process started. */
export interface RedisServer {
  url: string;
  port: number;
  dir: string;
  /** Process id of the server running now (it changes on restart). */
  pid(): number | undefined;
  /** Stops it gracefully (it flushes the AOF), then starts it again on the same port and data. */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

/** Whether `redis-server` is on the PATH. */
export function haveRedisServer(): boolean {
  return spawnSync("redis-server", ["--version"], { stdio: "ignore" }).status === 0;
}

/** A TCP port free on 127.0.0.1 right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const a = s.address();
      const port = typeof a === "object" && a ? a.port : 0;
      s.close(() => resolve(port));
    });
  });
}

function launch(port: number, dir: string): Promise<ChildProcess> {
  const p = spawn(
    "redis-server",
    [
      "--bind",
      "127.0.0.1",
      "--port",
      String(port),
      "--dir",
      dir,
      "--appendonly",
      "yes",
      "--appendfsync",
      "everysec",
      "--save",
      "",
      "--maxmemory-policy",
      "noeviction",
      "--daemonize",
      "no",
    ],
    { stdio: ["ignore", "pipe", "pipe"] },
  );
  return new Promise((resolve, reject) => {
    let out = "";
    const t = setTimeout(() => reject(new Error(`redis-server did not start: ${out}`)), 15_000);
    p.stdout?.on("data", (d) => {
      out += String(d);
      if (out.includes("Ready to accept connections")) {
        clearTimeout(t);
        resolve(p);
      }
    });
    p.once("exit", (code) => {
      clearTimeout(t);
      reject(new Error(`redis-server exited (${code}): ${out}`));
    });
  });
}

function stopProcess(p: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (p.exitCode !== null || p.signalCode !== null) return resolve();
    p.once("exit", () => resolve());
    p.kill("SIGTERM");
  });
}

/** Starts redis-server on a free port of 127.0.0.1 with a fresh data folder. Cost: tens of ms. */
export async function startRedis(): Promise<RedisServer> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), "zettasim-redis-"));
  let proc = await launch(port, dir);
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    dir,
    pid: () => proc.pid,
    async restart() {
      await stopProcess(proc);
      proc = await launch(port, dir);
    },
    async stop() {
      await stopProcess(proc);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
