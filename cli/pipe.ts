// Ends the CLI quietly when its output is closed early (`zettasim spec ... | head -1`): no EPIPE stack trace.

/** Exits with the current exit code when stdout or stderr is closed; other stream errors are rethrown. */
export function quietOnClosedPipe(): void {
  for (const stream of [process.stdout, process.stderr]) {
    stream.on("error", (e: NodeJS.ErrnoException) => {
      if (e.code === "EPIPE") process.exit(process.exitCode ?? 0);
      throw e;
    });
  }
}
