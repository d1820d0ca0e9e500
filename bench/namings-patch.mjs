/**
 * Loaded before tsx by bench/namings.ts's command line (`node --import ./bench/namings-patch.mjs
 * --import tsx bench/namings.ts`): counts the functions named through `Object.defineProperty(fn,
 * "name", { value, configurable: true })`, the call tsx's compiled modules make (esbuild's
 * keepNames, its `__name` helper, which takes `Object.defineProperty` when each module loads:
 * hence before them), with a sample of the places that made them.
 */
const define = Object.defineProperty;
const counts = { on: false, total: 0, sites: new Map() };
globalThis.__namings = counts;
Object.defineProperty = function (target, property, descriptor) {
  if (
    counts.on &&
    property === "name" &&
    typeof target === "function" &&
    descriptor?.configurable === true &&
    "value" in descriptor &&
    !("writable" in descriptor)
  ) {
    counts.total++;
    if (counts.total % 7 === 0) {
      // the frame that made the function: the one under the helper that named it
      const site = `${descriptor.value} ${new Error().stack.split("\n")[3]?.trim()}`;
      counts.sites.set(site, (counts.sites.get(site) ?? 0) + 7);
    }
  }
  return define.call(this, target, property, descriptor);
};
