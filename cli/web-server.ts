// A static file server for the built web app (dist/web) on 127.0.0.1: no other service, nothing fetched from outside.
import { existsSync, readFileSync, statSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { dirname, extname, join, normalize, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { ZettasimError } from "../src/core/errors.js";

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".svg": "image/svg+xml",
  ".json": "application/json",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".txt": "text/plain; charset=utf-8",
};

/** Only this origin: the page, its worker and its data never reach another host. */
const CSP =
  "default-src 'self'; script-src 'self'; worker-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

/**
 * The built app's folder: dist/web, found from this module upwards (it is bundled into dist/cli/commands/web.js,
 * compiled to dist/cli/web-server.js, or run from source as cli/web-server.ts).
 */
export function webRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let up = 0; up < 4; up++, dir = dirname(dir)) {
    for (const c of [join(dir, "web"), join(dir, "dist", "web")]) {
      if (existsSync(join(c, "index.html")) && existsSync(join(c, "assets"))) return c;
    }
  }
  throw new ZettasimError([
    {
      path: [],
      message: "the web app is not built",
      expected: "`npm run build` (npm install runs it) to write dist/web",
    },
  ]);
}

export interface WebServer {
  url: string;
  port: number;
  server: Server;
  close(): Promise<void>;
}

/**
 * Serves `root` on host:port (port 0: any free port). Rejects with a ZettasimError naming --port when the port is
 * taken, and --host when the address cannot be bound.
 */
export function startWebServer(opts: { port: number; host?: string; root?: string }): Promise<WebServer> {
  const root = opts.root ?? webRoot();
  const host = opts.host ?? "127.0.0.1";
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://localhost");
    let rel = decodeURIComponent(url.pathname);
    if (rel.endsWith("/")) rel += "index.html";
    const file = normalize(join(root, rel));
    const inside = file === root || file.startsWith(root.endsWith(sep) ? root : root + sep);
    if (req.method !== "GET" && req.method !== "HEAD") {
      res.writeHead(405, { Allow: "GET, HEAD" }).end();
      return;
    }
    if (!inside || !existsSync(file) || !statSync(file).isFile()) {
      res.writeHead(404, { "Content-Type": "text/plain; charset=utf-8" }).end("not found\n");
      return;
    }
    const body = readFileSync(file);
    res.writeHead(200, {
      "Content-Type": TYPES[extname(file)] ?? "application/octet-stream",
      "Content-Length": body.length,
      "Cache-Control": rel.startsWith("/assets/") ? "public, max-age=31536000, immutable" : "no-cache",
      "Content-Security-Policy": CSP,
      "X-Content-Type-Options": "nosniff",
    });
    res.end(req.method === "HEAD" ? undefined : body);
  });
  return new Promise((resolve, reject) => {
    server.once("error", (e: NodeJS.ErrnoException) => {
      if (e.code === "EADDRINUSE")
        reject(
          new ZettasimError([
            {
              path: ["--port"],
              message: `port ${opts.port} on ${host} is already in use`,
              value: opts.port,
              expected: "a free port (--port N), or --port 0 for any free one",
            },
          ]),
        );
      else if (e.code === "EADDRNOTAVAIL" || e.code === "ENOTFOUND" || e.code === "EACCES")
        reject(
          new ZettasimError([
            {
              path: [e.code === "EACCES" ? "--port" : "--host"],
              message: `cannot listen: ${e.code}`,
              value: e.code === "EACCES" ? opts.port : host,
              expected: "a local address and a port above 1023",
            },
          ]),
        );
      else reject(e);
    });
    server.listen(opts.port, host, () => {
      const port = (server.address() as AddressInfo).port;
      const h = host.includes(":") ? `[${host}]` : host;
      resolve({
        url: `http://${h}:${port}/`,
        port,
        server,
        close: () => new Promise((r) => server.close(() => r())),
      });
    });
  });
}
