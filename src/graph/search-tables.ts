/**
 * The tables of the searches that pause (search.ts `findSteps`): a few, lent one per search, so
 * that the searches a process runs at once hold a bounded amount of memory, whatever the requests.
 *
 * A search of more postings than PAUSING_POSTINGS sums them in a table of its own, since it gives
 * the event loop back between its steps and another search may run meanwhile (the kept table is
 * shared). Made one per search, those tables were all alive at once: the aliases of one request
 * take their first steps in turn, each making its table, before the first of them ends (review
 * 51, finding 1). A table has a slot for every name and entity of the index (search.ts, Scratch:
 * up to 50 MB at a million entities, 72-146 MB when it was a hash table sized by the postings), and
 * eight aliases of `on the in of` (under the cost limit) held about 0.6 GB of ArrayBuffers by the
 * review's arithmetic, memory that the heap's limit does not bound.
 *
 * Now the pool holds at most `max` tables, lent or free (the free ones let go once none has been
 * given back for a while). A search that finds none waits, giving the event loop back (`wait`), its
 * place in a line: a table given back wakes the first in line, and one woken that does not take it
 * (its request stopped) wakes the next. A table comes back when its search ends, fails or is
 * stopped (search.ts releases its lease in a `finally`; deadline.ts's drivers close a generator
 * that stops), or when its request's answer is written while the search waits for a turn it will
 * never get (`Deadline.whenClosed`).
 */

/** A search's place in the line for a table (`TablePool.wait`). */
export interface WaitTicket {
  /** Resolves when the search's turn to try again comes (a table was given back). */
  readonly freed: Promise<void>;
  /**
   * It no longer waits (idempotent): out of the line; woken but not taking the table
   * (`passOn`: it stops), the next in line is woken in its place.
   */
  done(passOn: boolean): void;
}

interface Waiting {
  wake(): void;
  woken: boolean;
  over: boolean;
}

/** A table lent to one search, until `release` (idempotent). */
export interface TableLease<T> {
  readonly table: T;
  /** Whether it has been given back: its search must not touch the table again. */
  readonly released: boolean;
  release(): void;
}

export class TablePool<T> {
  private readonly free: T[] = [];
  private lent = 0;
  private readonly waiting: Waiting[] = [];
  private idle: NodeJS.Timeout | undefined;
  /** The tables made so far, the most lent at once, and the places in line given (for tests and benchmarks). */
  made = 0;
  tickets = 0;
  mostLent = 0;

  constructor(
    /** The most tables that exist at once, lent or free. */
    private readonly max: number,
    /** Makes a table (every table of a pool is alike: a search's of its index). */
    private readonly make: () => T,
    /**
     * How long the free tables are kept once none has been given back: then every free table is
     * let go (an idle server holds none).
     */
    private readonly keepForMs: number,
  ) {}

  /** A table, lent until the lease is released; undefined when the pool's tables are all lent (then wait for `freed`). */
  take(): TableLease<T> | undefined {
    let table: T;
    if (this.free.length > 0) table = this.free.pop()!;
    else if (this.lent < this.max) {
      table = this.make();
      this.made++;
    } else return undefined;
    this.lent++;
    if (this.lent > this.mostLent) this.mostLent = this.lent;
    const lease = {
      table,
      released: false,
      release: () => {
        if (lease.released) return;
        lease.released = true;
        this.lent--;
        this.free.push(table);
        this.letGoWhenIdle();
        this.wakeNext();
      },
    };
    return lease;
  }

  /**
   * Lets the free tables go once none has been given back for `keepForMs`: a burst of searches
   * reuses them (a table at a million entities takes milliseconds to make, and is as much garbage), and nothing stays held after it.
   */
  private letGoWhenIdle(): void {
    if (this.idle) this.idle.refresh();
    else {
      this.idle = setTimeout(() => {
        this.idle = undefined;
        this.free.length = 0;
      }, this.keepForMs);
      this.idle.unref();
    }
  }

  /**
   * A place at the end of the line for a table. Woken one at a time: every search woken at each
   * table given back, N searches waiting tried N(N+1)/2 times (review 52: 5,050 tries for 100).
   */
  wait(): WaitTicket {
    let wake!: () => void;
    const freed = new Promise<void>((resolve) => {
      wake = resolve;
    });
    const waiting: Waiting = { wake, woken: false, over: false };
    this.tickets++;
    this.waiting.push(waiting);
    return {
      freed,
      done: (passOn) => {
        if (waiting.over) return;
        waiting.over = true;
        const at = this.waiting.indexOf(waiting);
        if (at >= 0) this.waiting.splice(at, 1);
        else if (waiting.woken && passOn) this.wakeNext();
      },
    };
  }

  /** Wakes the first in line. */
  private wakeNext(): void {
    const next = this.waiting.shift();
    if (!next) return;
    next.woken = true;
    next.wake();
  }

  /** Tables lent now, and free (for tests). */
  get counts(): { lent: number; free: number; waiting: number } {
    return { lent: this.lent, free: this.free.length, waiting: this.waiting.length };
  }
}
