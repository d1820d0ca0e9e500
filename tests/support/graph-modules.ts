/**
 * What the children of tests/graph/data-files.test.ts and snapshot.test.ts import of src/graph,
 * from the bundle (tests/support/server-bundle.ts): each child, run through tsx to import the
 * sources, cost 0.6-0.8 CPU-s, most of it tsx's loader and the modules' compile.
 */
export { loadJsonGraph } from "../../src/graph/load.js";
export { ensureSnapshot, loadJsonGraphWithSnapshot } from "../../src/graph/snapshot/load.js";
export { placeSnapshots } from "../../src/graph/snapshot/place.js";
export { readSnapshot, verifySnapshot } from "../../src/graph/snapshot/snapshot.js";
