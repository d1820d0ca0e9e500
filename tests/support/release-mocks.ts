/**
 * vitest setup file: a test file's mocks let go of what they hold once the file is over.
 *
 * Vitest keeps every mock made in a worker (`vi.fn`, `vi.spyOn`) in a set of its own for good,
 * and `restoreMocks` (vitest.config.ts) only puts the spied function back: the mock keeps its
 * implementation (a closure over the test's variables: its graph, its server) and every call's
 * arguments and result. Since the files share their worker (`isolate: false`), that is carried
 * into every later file: answer-json.test's JSON.stringify spies kept its answers and a graph
 * alive, about 55 MB of heap and 37 MB of buffers, which every full collection of the worker's
 * later files marked again. Resetting them drops both (a spy is reset to the function it spied
 * on, a `vi.fn(impl)` to its `impl`). This file's hook, registered first, runs after the file's.
 *
 * And a test's stubbed globals and environment variables are undone once it ends, not only when
 * the next test begins (vitest's `unstubGlobals` and `unstubEnvs` undo them before each test): the
 * last test of a file left its stub in place through the file's `afterAll` and the next file's
 * `beforeAll`, and then undid it over what that `beforeAll` had set. stale-cursor.test's last
 * test stubbed `fetch` over the explorer model's (model-in-node.ts), whose `afterAll` then put
 * Node's back; the next file's `beforeAll` set its own, which the unstub before its first test
 * replaced with stale-cursor's, sending its requests to a server closed already: "The server could
 * not be reached" in keynote-words.test and priority-words.test, when `tests/web` ran alone.
 */
import { afterAll, afterEach, vi } from "vitest";

afterEach(() => {
  vi.unstubAllGlobals();
  vi.unstubAllEnvs();
});

afterAll(() => {
  vi.resetAllMocks();
});
