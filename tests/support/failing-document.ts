/**
 * A document that fails validation on `count` variables declared String and used where a list
 * of keys is wanted (about 5-10 ms of validation and a hundred errors at 300: red team 44, F4's),
 * made unique by `tag` so that no cache answers it: the work before execution that waits its turn
 * (src/graph/scheduler.ts, `turnFor`), for tests/server/accept-turns.test.ts and
 * pipelined-turn-gone.test.ts.
 */
export function failingDocument(tag: string, count = 300): string {
  const declared = Array.from({ length: count }, (_, i) => `$v${i}: String`).join(" ");
  const used = Array.from({ length: count }, (_, i) => `$v${i}`).join(",");
  return `query Q(${declared}) { persons(first: 1, filter: { or: [{ key: { in: [${used}] } }] }) { totalCount } } # ${tag}`;
}
