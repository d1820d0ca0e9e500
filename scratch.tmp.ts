import { writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";
const api = import.meta.resolve("tsx/esm/api"); console.log(api);
function fresh(file: string) {
  const code = `
const { parentPort } = require("node:worker_threads");
(async () => {
  const { register } = await import(${JSON.stringify(api)});
  register();
  const module = await import(${JSON.stringify(pathToFileURL(file).href)});
  parentPort.postMessage({ ok: true, value: { ...module } });
})().catch((error) => parentPort.postMessage({ ok: false, error: String(error && error.stack || error) }));
`;
  return new Promise((resolve, reject) => {
    const w = new Worker(code, { eval: true });
    w.once("message", (m) => { resolve(m); void w.terminate(); });
    w.once("error", reject);
  });
}
let t = performance.now();
console.log(await fresh("/tmp/ti/a.ts"), (performance.now() - t).toFixed(0));
writeFileSync("/tmp/ti/b.ts", 'export const b: string = "b2";');
t = performance.now();
console.log(await fresh("/tmp/ti/a.ts"), (performance.now() - t).toFixed(0));
writeFileSync("/tmp/ti/b.ts", 'export const b: string = "b1" +;');
console.log(await fresh("/tmp/ti/a.ts"));
t = performance.now();
console.log(Object.keys(((await fresh("/work/wt-issue4/data/index.ts")) as any).value), (performance.now() - t).toFixed(0));
