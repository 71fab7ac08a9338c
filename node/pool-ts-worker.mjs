// Worker entry used when a pool's task module is TypeScript (tests, tsx): registers tsx's loader, then runs the module.
import { register } from "tsx/esm/api";

register();
const modules = new Map();

export default async function runTypeScriptTask({ module, input }) {
  let m = modules.get(module);
  if (!m) {
    m = await import(module);
    modules.set(module, m);
  }
  return m.default(input);
}
