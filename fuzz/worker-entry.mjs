// Worker-thread entry: registers tsx's loader so the TypeScript fuzz worker can run, then loads it.
import { register } from "tsx/esm/api";

register();
await import("./worker.ts");
