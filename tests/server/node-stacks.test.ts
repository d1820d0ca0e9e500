/**
 * Stacks of Node's own frames alone, written without Node's formatter (node-stacks.ts): with
 * source maps on (`npm start`, through tsx), that formatter looks a map up for each frame, and
 * Node formats such a stack for every request aborted as its connection closes (red team 14, F3;
 * figures in the commit). A stack with any frame of a file is still Node's formatter's, whole.
 */
import { describe, expect, it } from "vitest";
import { plainWhereNodeAlone } from "../../src/server/node-stacks.js";

/** A call site as V8 gives it to `Error.prepareStackTrace`, in `file` (none: a native frame). */
const site = (text: string, file?: string) =>
  ({
    getFileName: () => file,
    getEvalOrigin: () => undefined,
    toString: () => text,
  }) as unknown as NodeJS.CallSite;

/** A formatter standing for Node's, which records the frames it was given. */
function nodeFormatter() {
  const given: string[][] = [];
  const format = (error: Error, trace: NodeJS.CallSite[]) => {
    given.push(trace.map(String));
    return `${error.name} [ECONNRESET]: ${error.message}${trace.map((s) => `\n    at ${s}(mapped)`).join("")}`;
  };
  return { given, format };
}

describe("a stack of Node's own frames", () => {
  it("is its heading from Node's formatter, then each frame as V8 writes it: no frame is given to the formatter", () => {
    const { given, format } = nodeFormatter();
    const trace = [
      site("abortIncoming (node:_http_server:793:23)", "node:_http_server"),
      site("Array.forEach (<anonymous>)"),
      site("TCP.<anonymous> (node:net:341:12)", "node:net"),
    ];
    expect(plainWhereNodeAlone(format)(new Error("aborted"), trace)).toBe(
      "Error [ECONNRESET]: aborted\n    at abortIncoming (node:_http_server:793:23)\n    at Array.forEach (<anonymous>)\n    at TCP.<anonymous> (node:net:341:12)",
    );
    expect(given).toEqual([[]]);
  });

  it("is left to Node's formatter whole when one frame is in a file (its source map then names the TypeScript line)", () => {
    const { given, format } = nodeFormatter();
    const trace = [
      site("readBody (file:///srv/src/server/body.ts:1:4470)", "file:///srv/src/server/body.ts"),
      site("emit (node:events:517:28)", "node:events"),
    ];
    expect(plainWhereNodeAlone(format)(new Error("broken"), trace)).toBe(
      "Error [ECONNRESET]: broken\n    at readBody (file:///srv/src/server/body.ts:1:4470)(mapped)\n    at emit (node:events:517:28)(mapped)",
    );
    expect(given).toEqual([trace.map(String)]);
    // a CommonJS module's frame names its path, not a URL
    const required = [
      site("parse (/srv/node_modules/x/index.js:1:20)", "/srv/node_modules/x/index.js"),
    ];
    plainWhereNodeAlone(format)(new Error("broken"), required);
    expect(given[1]).toEqual(required.map(String));
  });
});
