// `zettasim` with no arguments: a short overview of the default system and of what else the tool does.
export function overview(): void {
  process.stdout.write("zettasim\n");
}
