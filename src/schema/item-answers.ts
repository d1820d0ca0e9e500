/**
 * Lists a client names item by item: `nodes(ids:)` (node.ts) and, in subgraph mode,
 * `_entities(representations:)` (federation.ts). Each item is read and loaded on its own, and
 * answers at its place either its entity (or the promise of it) or an error of its own, so one
 * bad item nulls only its place. The items are taken in the request's slices (deadline.ts,
 * `pause`): thirty lists of a thousand ids, each a promise or an error of its own, held the event
 * loop up to 0.8 s in one run of microtasks; `_entities`, which took its representations in one
 * go, held it 254-382 ms of CPU with thirty aliases over the same thousand (red team 6).
 *
 * The cost limit prices each item the same for both (cost.ts, COST_WEIGHTS.NODE_ID besides its
 * object), as the work is the same.
 */
import type { Deadline } from "../graph/deadline.js";

/**
 * Work units (as the deadline counts them) of one item: read (an id decoded, a representation
 * checked), and its entity asked of the loader or its error made.
 */
export const ITEM_WORK = 4;

/**
 * The answer of each item from `from` on, into `into` (as graphql-js takes a list: an entity, a
 * promise of one, or an Error, which it answers as null at that index with the error); waits
 * for the request's next slice whenever this one is used, and goes on from the same item.
 */
export function answerEach<T>(
  items: readonly T[],
  answer: (item: T, index: number) => unknown,
  deadline: Deadline | undefined,
  from = 0,
  into: unknown[] = new Array(items.length),
): unknown[] | Promise<unknown[]> {
  for (let index = from; index < items.length; index++) {
    const turn = deadline?.pause(ITEM_WORK);
    if (turn) return turn.then(() => answerEach(items, answer, deadline, index, into));
    into[index] = answer(items[index]!, index);
  }
  return into;
}
