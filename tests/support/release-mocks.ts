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
 */
import { afterAll, vi } from "vitest";

afterAll(() => {
  vi.resetAllMocks();
});
