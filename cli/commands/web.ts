// `zettasim web`: serves the built web app on 127.0.0.1 (offline: the app runs the core in the browser).
import type { Command } from "commander";
import { ZettasimError } from "../../src/core/errors.js";
import { action, numberFlag } from "../io.js";
import { startWebServer } from "../web-server.js";

/** The default port: fixed, so a bookmark keeps working. */
export const DEFAULT_WEB_PORT = 8950;

/** Whether `host` binds this machine only: localhost, 127.0.0.0/8 or ::1 (IPv4-mapped too). */
export function isLoopbackHost(host: string): boolean {
  const h = host
    .trim()
    .toLowerCase()
    .replace(/^\[|\]$/g, "");
  if (h === "localhost" || h === "::1" || h === "0:0:0:0:0:0:0:1") return true;
  const v4 = h.startsWith("::ffff:") ? h.slice(7) : h;
  return /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(v4);
}

/** The stderr line `web` prints before it binds an address other machines can reach. */
export function exposedHostWarning(host: string): string {
  const all = host === "0.0.0.0" || host === "::" || host === "[::]";
  return (
    `zettasim web: warning: --host ${host} is not a loopback address: the app is reachable from ` +
    `${all ? "every network interface of this machine" : "other machines"} (default 127.0.0.1: this machine only)`
  );
}

export function registerWeb(program: Command): void {
  program
    .command("web")
    .description(
      `serve the web app on 127.0.0.1 (default port ${DEFAULT_WEB_PORT}); the core runs in the browser`,
    )
    .option("--port <n>", `port to listen on (0: any free port; default ${DEFAULT_WEB_PORT})`)
    .option(
      "--host <address>",
      "address to bind (default 127.0.0.1: this machine only; any other warns on stderr)",
    )
    .action(
      action(async (flags: { port?: string; host?: string }) => {
        const port = numberFlag("port", flags.port, { integer: true, min: 0 }) ?? DEFAULT_WEB_PORT;
        if (port > 65535)
          throw new ZettasimError([
            { path: ["--port"], message: "bad value", value: flags.port, expected: "a port from 0 to 65535" },
          ]);
        const host = flags.host ?? "127.0.0.1";
        if (!isLoopbackHost(host)) process.stderr.write(`${exposedHostWarning(host)}\n`);
        const web = await startWebServer({ port, host });
        process.stdout.write(`zettasim web: the app is at ${web.url} (Ctrl-C to stop)\n`);
        const stop = () => {
          void web.close().then(() => process.exit(0));
          setTimeout(() => process.exit(0), 1000).unref();
        };
        process.once("SIGINT", stop);
        process.once("SIGTERM", stop);
      }),
    );
}
