// `zettasim worker redis://HOST:PORT`: run zettasim jobs (sweep points, Monte Carlo trials) from a Redis queue until stopped.
import type { Command } from "commander";
import { checkRedisUrl, startWorker } from "../../node/sweep/queue.js";
import { action, numberFlag, threadsFlag } from "../io.js";

interface Flags {
  threads?: string;
  lockMs?: string;
  name?: string;
  quiet?: boolean;
}

export function registerWorker(program: Command): void {
  program
    .command("worker")
    .description(
      "run sweep points and Monte Carlo trials from a Redis queue (any number of workers, any machines)",
    )
    .argument("<url>", "redis://HOST:PORT")
    .option("--threads <n>", "jobs run at once, one thread each (default 1)")
    .option("--lock-ms <n>", "job lock, ms: a killed worker's job is retried once it lapses (default 10000)")
    .option("--name <name>", "name stored on each job this worker takes (default HOST:PID)")
    .option("--quiet", "print nothing but errors")
    .action(
      action(async (url: string, flags: Flags) => {
        checkRedisUrl(url, "url");
        const threads = threadsFlag(flags.threads) ?? 1;
        const lockMs = numberFlag("lock-ms", flags.lockMs, { integer: true, min: 1000 });
        const w = startWorker(url, {
          threads,
          lockMs,
          name: flags.name,
          onEvent: (what) => process.stderr.write(`zettasim worker: ${what}\n`),
        });
        if (!flags.quiet)
          process.stderr.write(
            `zettasim worker: running jobs from ${url} (${threads} thread${threads === 1 ? "" : "s"})\n`,
          );
        await new Promise<void>((done) => {
          const stop = () => {
            w.close().then(done, done);
          };
          process.once("SIGINT", stop);
          process.once("SIGTERM", stop);
        });
      }),
    );
}
