// Builds the web app into dist/web: the page (Preact + Observable Plot) and the Web Worker that runs the core.
import { fileURLToPath } from "node:url";
import { defineConfig } from "vite";

const root = fileURLToPath(new URL(".", import.meta.url));

/**
 * Asks for the core worker's script from the page's head (a prefetch: a preload would be reported unused, since a
 * worker's fetch never claims one), so its download starts while the HTML is parsed instead of after the entry script
 * has run; the worker's start is the longest part of the first estimate. The worker then finds the script in the HTTP
 * cache (assets are immutable): the server sees one request for it.
 */
const prefetchWorker = {
  name: "zettasim-prefetch-worker",
  apply: "build",
  transformIndexHtml: {
    order: "post",
    handler(_html, ctx) {
      const worker = Object.keys(ctx.bundle ?? {}).find((f) =>
        /^assets\/worker-(?!jobs-)[\w-]+\.js$/.test(f),
      );
      if (!worker) return [];
      return [
        {
          tag: "link",
          attrs: { rel: "prefetch", href: `./${worker}` },
          injectTo: "head-prepend",
        },
      ];
    },
  },
};

export default defineConfig({
  root,
  base: "./",
  plugins: [prefetchWorker],
  logLevel: "warn",
  oxc: { jsx: { runtime: "automatic", importSource: "preact" } },
  worker: { format: "es", rolldownOptions: { checks: { bundlerTimings: false } } },
  server: { host: "127.0.0.1", fs: { allow: [fileURLToPath(new URL("..", import.meta.url))] } },
  build: {
    outDir: fileURLToPath(new URL("../dist/web", import.meta.url)),
    emptyOutDir: true,
    target: "es2022",
    sourcemap: false,
    reportCompressedSize: false,
    chunkSizeWarningLimit: 2000,
    // The worker's import transform is slow on a loaded machine; its timing warning is noise in every build.
    rolldownOptions: { checks: { bundlerTimings: false } },
  },
});
