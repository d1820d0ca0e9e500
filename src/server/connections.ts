/**
 * The server's connections, bounded in time and number, and closed gracefully at shutdown.
 *
 * Time: Node's own checks (docs/operations.md, "Limits", "Connections"). `headersTimeout`
 * bounds the time from connecting (or from the start of a request on a kept-alive connection)
 * to the end of the headers, `requestTimeout` the time to the end of the whole request, body included (the body
 * that body.ts reads); both are checked by one interval timer per server
 * (`connectionsCheckingInterval`, 30 s by default, which is why a body that never finished used
 * to be held 309 s: the 300 s default plus the interval). `keepAliveTimeout` closes a connection
 * left idle between requests. None of these costs a timer per request.
 *
 * Number: at most `maxConnections` connections are served, and at most `connectionMargin` more
 * are held beyond them, whose requests are answered 503 (`TOO_MANY_CONNECTIONS`, with
 * Retry-After) and the connection closed, while the connections already served keep being
 * served; /health and /ready still answer on them. A newcomer takes the first of:
 * 1. a free served place;
 * 2. the place of a served connection that is closed for it (evicted): the oldest open
 *    `evictAfterMs` (a second) or more that has never sent a whole request's headers, else the
 *    one idle longest, `evictAfterMs` or more, since all its requests were answered, else the
 *    oldest whose one request in flight has had its headers `evictAfterMs` or more and still
 *    lacks part of its body, of which less than the floor's rate (`KZ_OSCE_MIN_BODY_RATE`; at
 *    least a byte) has come since (`req.complete` false, nothing written on it since; one whose
 *    body is still coming at the floor's rate is judged again from then, so that an
 *    upload in progress is never closed: the review of 5 December saw a steady one closed
 *    first of all, its headers being the oldest; the body is read
 *    whole before anything runs, so closing it loses nothing made; red team 5: POSTs announcing
 *    100 bytes and sending none held every place for the 30 s request timeout, and an honest
 *    client got 471 of 471 refused). A body that keeps coming at the floor's rate is never
 *    taken here; one slower is, the floor (body-rate.ts, 240 bytes/s after 5 s) refusing it
 *    anyway, 408 `BODY_TOO_SLOW`, a grace after it fell behind (red team 8: a body that sent
 *    7.4 KB at once, then a byte every 0.8 s, was neither, and 50 of them held every place of
 *    50 for the 30 s request timeout, renewed as they were cut). An idle connection that has been read from since it became
 *    idle is sending its next request: it is passed over, and counts from then on as one that
 *    has not sent a whole request's headers, as of the look that saw it (when its bytes began is
 *    unknown; red team 5: an idle connection was closed in the middle of its next headers);
 *    else, when the newcomer's client (its connection's address, share-client.ts: never a
 *    header's) holds at least two served places fewer than the address holding the most, the
 *    place of a connection of that address, whatever its age: the one idle longest, else the
 *    oldest that has not sent a whole request's headers, else the one whose body has come
 *    slowest since its headers, even at the floor's rate; never one whose request is being
 *    answered (`Places.evictForShare`). Red team 14: a thousand uploads at 300 bytes/s, just
 *    over the floor and so never evicted, held every place, and an honest client was refused 503
 *    in 141 of 143 tries. Two fewer, not one: a place then passes from the address holding most
 *    to one holding fewer, never back and forth between two addresses a place apart, and among
 *    addresses holding one place each (as many clients as places) an upload in progress is
 *    still never closed. One address alone still has every place when no other wants one;
 * 3. a free place beyond the cap;
 * 4. likewise, the place of the oldest such connection beyond the cap (the newcomer is then
 *    beyond the cap too: evicting one there never makes a served place, so that no more than
 *    `maxConnections` are ever served);
 * 5. past the margin only, the place of the oldest connection, served or beyond the cap (the
 *    newcomer's place then), that has not sent a whole request's headers, if open a fifth of
 *    `evictAfterMs` or more (however young, a flood of connects reset each client given a place
 *    within milliseconds of its connect: the review): the newcomer, the youngest, then has the
 *    most time to send its own (red team 5: connections
 *    closed by their client within the second, 400 a second, were never old enough to evict,
 *    and reset 36 of 78 newcomers). Not at the cap: there a newcomer still gets a place beyond
 *    it and an answer (503, Retry-After), so closing a young connection, which may be an honest
 *    client a few milliseconds from its headers, would trade an answer for a reset; past the
 *    margin the newcomer's reset is certain, and one of the two is lost either way;
 * and failing all five it is closed at once, unanswered (a drop): every place is held by a
 * connection with a request whose body has come (being answered) or by one idle less than a second. A connection that sends its
 * headers slowly and never ends them would otherwise hold its place until the headers timeout
 * (10 s); a thousand of them, renewed as they were closed, refused every other client (red team
 * 4: 25-48 of 30-59 queries refused); one that sent a request first (`OPTIONS *`, answered at
 * once) then began such headers held its place as a served one (the review of 5 December), and
 * an idle kept-alive connection is closed by nginx too when it runs out of connections (a client
 * sends its next request on a new one). The drop is made here, where evicting is possible: Node's
 * own limit (`server.maxConnections`) closes a connection before the server sees it, so at the
 * cap and its margin (1,300 slow connections against 1,000 and 250) it reset 42 of 50 other
 * clients, with slow connections there to evict. Node's limit stays, as a backstop a second
 * margin further out (`connectionBackstop`): a connection closed here holds its descriptor, and
 * counts in Node's limit, until its close comes later in the turn of the loop, so a burst of
 * newcomers accepted in one turn, each evicting or dropped, briefly holds more than the cap and
 * its margin; the backstop bounds that, so that no flood of connections can exhaust the
 * process's file descriptors.
 *
 * One address's share (`maxConnectionsPerAddress`, `KZ_OSCE_MAX_CONNECTIONS_PER_ADDRESS`, 100
 * by default; 0: none): before all of the above, whether or not the cap is reached, a newcomer
 * whose client (its connection's address, share-client.ts) already holds that many served places
 * takes the place of one of its own address's connections, the first it has that point 2's
 * first rule would close at the cap (open `evictAfterMs` without whole headers, the oldest; else
 * idle that long, longest; else a body slower than the floor since last looked at), and failing
 * that it is placed beyond the cap (its request answered 503 `TOO_MANY_CONNECTIONS`, in words
 * saying its address holds its share; the place beyond the cap made as point 4 does), or dropped
 * when none is free there. Never another address's place, and never a served place beyond its
 * share. Red team 14 (F3 and the common thread of F6, F7): nothing bounded what one address held
 * before the cap was reached, so that one client could fill it, and only then did the share at
 * the cap (point 2) begin to give places back. Which of the newcomer or an old connection goes:
 * for the clients behind one address (a NAT), an idle kept-alive connection or a stalled request
 * of their own is cheaper to lose than the new request, which a browser then sends on a new
 * connection; a request in progress (being answered, or a body at the floor's rate) is never lost
 * for it, the newcomer is told 503 with Retry-After instead, an answer it can act on, where a reset
 * says nothing. The bound is far above what a browser opens to a host (six); behind a proxy every
 * connection has the proxy's address, and the bound must be off (0) or above what the proxy opens
 * (docs/deployment.md).
 *
 * A connection closing lingering (body.ts, `lingerOnClose`: a 413 written while its body still
 * comes, then up to 5 s of reading and discarding what follows so that the client reads it)
 * has been answered and will never be served again: it leaves its place as the linger begins,
 * and a newcomer takes it at once. Held, it was (almost) never evicted: the body bytes it still
 * sends made it look, idle, like a connection beginning its next request, whose age each look
 * restarted (instrumented: twenty lingering at a cap of twenty, each look moved them all from
 * idle to "not sent a request, as of now", so none was a second old when the next newcomers
 * came; red team 9: an honest client refused 503 in 29-32% of its tries, where twenty idle
 * connections refused it 0%). At most `lingerLimit` linger at once, placed or not: past it the
 * oldest linger is closed outright (its client has had the longest to read its answer), so that
 * lingering, free of the cap, cannot hold descriptors without bound; the backstop counts them.
 *
 * Places are counted, not read off `open`: an evicted connection leaves its place at once, where
 * it stays in `open` until its close, and a newcomer of the same burst must not count it. (One
 * closed by anything else, such as a timeout, holds its place until its close: a newcomer in
 * between may be refused a place about to be free, never given one beyond the limits.) Finding
 * whom to evict is cheap under a flood: each kind of place keeps its connections that have not
 * yet sent a request, oldest first, those idle, longest first, and those whose body is awaited,
 * oldest first, so the first one it looks at is the candidate (those found since sending, or
 * whose body has come, are moved or taken out as met, each once).
 *
 * Shutdown (`drain`): see its comment. The rule is that a connection is never closed while the
 * server may hold bytes of it that it has not read: closing a socket with unread received data
 * makes the kernel reset it (RST), and the client then loses even an answer already sent.
 */
import { type IncomingMessage, type Server, STATUS_CODES } from "node:http";
import { Server as NetServer, type Socket } from "node:net";
import { cameAfterClose, errorJson, LINGERING } from "./body.js";
import type { Config } from "./config.js";
import { cutBy } from "./server-cuts.js";
import { clientOf } from "./share-client.js";

/**
 * The header fields a request may have: Node keeps this many in its `headers` (`maxHeadersCount`;
 * `rawHeaders` has them all, names and values) and drops the rest without a word, so that a
 * request of 1,000 small
 * fields and then its Host (11 KB, within the 16 KB of headers) was refused for having no Host,
 * and a second Host or Content-Type after them went unseen by the checks for repeated ones (red
 * team 50, F3). A request that reaches it is refused 431 (app.ts `headerProblem`).
 */
export const MAX_HEADER_FIELDS = 1000;

/** The connections' settings (Config says what each is; the header above, how Node applies them). */
export type ConnectionLimits = Pick<
  Config,
  "headersTimeoutMs" | "requestTimeoutMs" | "keepAliveTimeoutMs" | "maxConnections"
> &
  /** The floor under a body's rate (body-rate.ts): a body slower lately may be evicted; none (0) by default. */
  Partial<Pick<Config, "minBodyRate">> &
  /** The served places one client address may hold (the header, "One address's share"); none (0) by default. */
  Partial<Pick<Config, "maxConnectionsPerAddress">>;

/**
 * The backlog the server listens with: `setting` (`KZ_OSCE_LISTEN_BACKLOG`), or the kernel's own
 * bound when that is smaller (Linux's `net.core.somaxconn`, the text of
 * /proc/sys/net/core/somaxconn; it takes no more, silently), with a warning to log then.
 *
 * The backlog is the queue of connections the kernel has accepted for the server and the server
 * has not yet taken, first in, first out: Node takes one a turn of the event loop (`afterBacklog`;
 * measured again, Node 20: 300 queued took 300 turns), and this file's rules then give each a
 * place, evict for it, or close it. So a newcomer waits a turn for every connection queued
 * before it, each turn as long as the work of every socket then ready. Past the backlog the
 * kernel drops a new client's SYN, and that client's connect waits for its retransmit, 1 s later,
 * then 3, then 7: however well the places are shared, the server never sees it. Node listens with
 * 511, and so does the server by default: red team 14 (F3) had 3,000 connections dripping bodies
 * from 200 addresses, renewed as closed, overflow it, and other clients' connects waited on
 * retransmits; with 4,096 no SYN was dropped, but the flood, no longer slowed by its own dropped
 * SYNs, was taken, evicted and closed faster (a third more evictions), up to four times as many
 * were queued before a newcomer, and another client's median wait (its connect and /health,
 * measured from a process of its own) went from 0.5-0.6 s to 1.3-1.5 s, its longest staying
 * 1.9-3.6 s (bench/results/2026-12-06-listen-backlog.txt). A longer queue is for bursts of honest
 * connections while the loop is briefly held, and costs the kernel a little memory for each
 * connection in it while the server is behind.
 */
export function listenBacklog(
  setting: number,
  somaxconn: string | undefined,
): { backlog: number; warning?: string } {
  const bound = /^\d+$/.test(somaxconn?.trim() ?? "") ? Number(somaxconn!.trim()) : undefined;
  if (bound === undefined || bound >= setting) return { backlog: setting };
  return {
    backlog: bound,
    warning: `KZ_OSCE_LISTEN_BACKLOG is ${setting}, but the kernel holds at most ${bound} connections waiting to be taken (net.core.somaxconn): past them, a new client's connect waits 1-7 s on its SYN's retransmit while a flood of connections fills the queue; raise it (sysctl -w net.core.somaxconn=${setting}) or lower KZ_OSCE_LISTEN_BACKLOG`,
  };
}

/** The connections above `maxConnections` that are still accepted (to be told 503), before the server drops them outright. */
export function connectionMargin(maxConnections: number): number {
  return Math.max(64, Math.ceil(maxConnections / 4));
}

/**
 * Node's own limit (`server.maxConnections`), which closes new connections before the server
 * sees them: a second margin beyond the cap and its margin, for the connections the server has
 * closed whose close has not yet come (see the header).
 */
export function connectionBackstop(maxConnections: number): number {
  return maxConnections + 2 * connectionMargin(maxConnections) + lingerLimit(maxConnections);
}

/**
 * The most connections that may close lingering at once (body.ts, `lingerOnClose`), outside the
 * cap's places (the header): a tenth of the cap, at least 16. Honest clients rarely send a body
 * over the limit, and one that does has its 413 within the linger's first moments.
 */
export function lingerLimit(maxConnections: number): number {
  return Math.max(16, Math.ceil(maxConnections / 10));
}

/**
 * Whether the cap leaves room under the process's open-file limit (read from Linux's
 * /proc/self/limits text, after Node has raised the soft limit to the hard one): a warning to
 * log when the connections the server may hold (up to Node's backstop: the cap, its margin, and
 * as many again being closed) and 256 descriptors for everything else could exhaust it.
 * Undefined when they fit, or when the limit is unknown.
 */
export function fileLimitWarning(
  maxConnections: number,
  limits: string | undefined,
): string | undefined {
  const match = /^Max open files\s+(\d+)/m.exec(limits ?? "");
  if (!match) return undefined;
  const limit = Number(match[1]);
  const margin = connectionMargin(maxConnections);
  const needed = connectionBackstop(maxConnections) + 256;
  if (needed <= limit) return undefined;
  return `KZ_OSCE_MAX_CONNECTIONS is ${maxConnections}: with its margin of ${margin}, ${margin} more being closed in a flood, ${lingerLimit(maxConnections)} lingering after a 413 and 256 descriptors for the rest, the server may need ${needed} open files, over this process's limit of ${limit}; lower KZ_OSCE_MAX_CONNECTIONS or raise the limit (ulimit -n), or a flood of connections can exhaust it`;
}

export interface DrainResult {
  /** Every connection ended by itself or was closed with nothing pending, within the timeout. */
  clean: boolean;
  /** Requests being answered when the shutdown began. */
  inFlight: number;
  /** Connections still open at the timeout, and so closed with whatever they were doing. */
  cutOff: number;
}

/** A connection whose one request in flight is still awaiting its body (`Places.receiving`). */
interface Receiving {
  /** When it was last judged (ms): its headers came, the requests before it were answered, or a look found its body keeping up. */
  since: number;
  req: IncomingMessage;
  /** Bytes written on it, and read of it, as of `since`. */
  written: number;
  read: number;
  /** When its body began to be awaited, and how many bytes had been read of it then: its rate over the whole wait (`evictForShare`). */
  began: number;
  beganRead: number;
}

/**
 * What a holder of a place is doing, as the lists say (each holder is in one list at most):
 * `waiting`, never sent a whole request's headers (or seen beginning its next, by a look); `idle`,
 * every request answered, nothing read since; `begun`, idle in the list but sending its next
 * request (read from since, or its parser has begun a message); `receiving`, its request's body
 * still coming, nothing written to it since. A holder in none (a request being answered) is none.
 */
type Held =
  | { kind: "waiting" | "idle" | "begun"; since: number }
  | { kind: "receiving"; body: Receiving };

/** One kind of place for connections (served, or beyond the cap) and the connections holding them (exported for its tests). */
export class Places {
  /** The connections holding one (an evicted one leaves at once, before its close comes), each with its client's address (share-client.ts). */
  private readonly holders = new Map<Socket, string>();
  /** The connections holding one, by their client's address, in the order they took them. */
  private readonly byClient = new Map<string, Set<Socket>>();
  /** The addresses holding as many places as each count (at least one): the most held is `most`, found at once. */
  private readonly withCount = new Map<number, Set<string>>();
  /** The most places one address holds. */
  private most = 0;
  /**
   * Those that have never sent a whole request's headers, oldest first, with when each was
   * accepted (ms, performance.now); and those idle that began their next request's headers,
   * with when that was seen (their bytes began then or before: an idle one is moved here by
   * `evictOldest`, at the end, its time the look's).
   */
  private readonly waiting = new Map<Socket, number>();
  /** Those whose requests have all been answered, longest idle first, with since when (ms) and how many bytes had been read of them then. */
  private readonly idle = new Map<Socket, { since: number; read: number }>();
  /**
   * Those whose one request in flight had not all its body when its headers came (or when the
   * requests before it were answered), in that order, with when (ms), the request, and how many
   * bytes had been written on them then. Those whose body has come since, or which have been
   * written to, are taken out as the look meets them (they are never evicted).
   */
  private readonly receiving = new Map<Socket, Receiving>();

  constructor(
    private readonly count: number,
    /** Bytes a second a body awaited must keep coming at not to be evicted (at least one byte a look). */
    private readonly minBodyRate = 0,
    /** Whether a connection's parser has begun a next request (Connections.messageBegun): not idle, whatever its bytes say. */
    private readonly begun: (socket: Socket) => boolean = () => false,
  ) {}

  get full(): boolean {
    return this.holders.size >= this.count;
  }

  has(socket: Socket): boolean {
    return this.holders.has(socket);
  }

  take(socket: Socket, now: number, client: string): void {
    this.holders.set(socket, client);
    this.waiting.set(socket, now);
    const sockets = this.byClient.get(client) ?? new Set<Socket>();
    this.byClient.set(client, sockets);
    this.recount(client, sockets.size, sockets.size + 1);
    sockets.add(socket);
  }

  leave(socket: Socket): void {
    const client = this.holders.get(socket);
    if (client !== undefined) {
      const sockets = this.byClient.get(client)!;
      sockets.delete(socket);
      if (sockets.size === 0) this.byClient.delete(client);
      this.recount(client, sockets.size + 1, sockets.size);
    }
    this.holders.delete(socket);
    this.waiting.delete(socket);
    this.idle.delete(socket);
    this.receiving.delete(socket);
  }

  /** How many places `client` holds. */
  heldBy(client: string): number {
    return this.byClient.get(client)?.size ?? 0;
  }

  /** `client` held `from` places and now holds `to` (one more or one fewer): moves it between the counts, and keeps `most`. */
  private recount(client: string, from: number, to: number): void {
    const left = this.withCount.get(from);
    left?.delete(client);
    if (left?.size === 0) this.withCount.delete(from);
    if (to > 0) {
      const joined = this.withCount.get(to) ?? new Set<string>();
      this.withCount.set(to, joined);
      joined.add(client);
    }
    // counts move by one: when the most held drops, the address that held it holds one fewer
    if (to > this.most) this.most = to;
    else if (from === this.most && !this.withCount.has(from)) this.most = to;
  }

  /** `socket` sent the whole headers of `req`, at `now`; `alone`: no request before it is still being answered. */
  requested(socket: Socket, req: IncomingMessage, now: number, alone: boolean): void {
    if (!this.holders.has(socket)) return;
    this.waiting.delete(socket);
    this.idle.delete(socket);
    this.receiving.delete(socket);
    if (alone) this.receive(socket, req, now);
  }

  /** Every request of `socket` has been answered, at `now`: it holds its place with nothing to do. */
  answered(socket: Socket, now: number): void {
    if (!this.holders.has(socket)) return;
    // in one list at most (`Held`; pickOf ranks a holder by the first it is found in): one in
    // `waiting` too was ranked as never having sent a request (review 24, finding 6)
    this.waiting.delete(socket);
    this.receiving.delete(socket);
    // (at the end: the map stays in the order of the times)
    this.idle.delete(socket);
    this.idle.set(socket, { since: now, read: socket.bytesRead });
  }

  /** The requests before `req` on `socket` have been answered, at `now`: `req` alone is in flight. */
  alone(socket: Socket, req: IncomingMessage, now: number): void {
    if (!this.holders.has(socket)) return;
    this.receiving.delete(socket);
    if (!req.complete) this.receive(socket, req, now);
  }

  /** `req`'s body is still to come on `socket`, as of `now` (at the end: the map stays in time order); awaited since `began`, when `beganRead` bytes had been read. */
  private receive(
    socket: Socket,
    req: IncomingMessage,
    now: number,
    began = now,
    beganRead = socket.bytesRead,
  ): void {
    this.receiving.delete(socket);
    this.receiving.set(socket, {
      since: now,
      req,
      written: socket.bytesWritten,
      read: socket.bytesRead,
      began,
      beganRead,
    });
  }

  /**
   * Close the oldest holder accepted at `before` or earlier that has never sent a whole
   * request's headers, else the one idle longest since `before` or earlier, else the oldest
   * whose request's body was still incomplete at `before` and has not grown since (nothing has
   * been made for it: the body is read whole before anything runs), freeing its place: whether
   * there was one. An idle one that has been read from since it became idle is sending its next request:
   * it is moved to those that have not sent one, as of `now`. Only those already being closed,
   * by a timeout say, are passed over (their close comes later in the same turn), and those
   * moved or taken out (each once), so the look ends after a few entries however many
   * connections wait.
   */
  evictOldest(before: number, now: number): boolean {
    for (const [socket, since] of this.waiting) {
      if (since > before) break;
      if (this.evict(socket)) return true;
    }
    for (const [socket, { since, read }] of this.idle) {
      if (since > before) break;
      if (socket.bytesRead > read || this.begun(socket)) {
        this.idle.delete(socket);
        this.waiting.set(socket, now);
      } else if (this.evict(socket)) return true;
    }
    for (const [socket, { since, req, written, read, began, beganRead }] of this.receiving) {
      if (since > before) break;
      if (req.complete || socket.bytesWritten > written) this.receiving.delete(socket);
      // its body is still coming at the floor's rate or faster: judged again from now, so that
      // an upload in progress is never closed for a newcomer (the review: a steady 100 KB/s
      // upload was, the first of all). A body slower than the floor since it was last judged is
      // not in progress but held: a byte every 0.8 s, after 7.4 KB at once to stay above the
      // floor's average, kept 50 places of 50 for the 30 s request timeout (red team 8)
      else if (this.keepsUp(socket, { since, read }, now))
        this.receive(socket, req, now, began, beganRead);
      else if (this.evict(socket)) return true;
    }
    return false;
  }

  /**
   * Close a connection of the address holding the most places, for a newcomer from `client`,
   * when `client` holds at least two fewer (so that a place passes from the address holding most
   * to one holding fewer, and never back and forth between two holding one more than the other):
   * the one idle longest since its requests were answered, else the oldest that has not sent a
   * whole request's headers, else the one whose body has come slowest since its headers (at the
   * floor's rate or not: red team 14, an upload at 300 bytes/s from each of 1,000 connections held
   * every place); never one whose request is being answered or has been written to. Without
   * regard to age: the address holds more than its share. Whether one was closed; with one
   * address alone, never.
   */
  evictForShare(client: string, now: number): boolean {
    const held = this.heldBy(client);
    for (let count = this.most; count >= held + 2; count--) {
      for (const holder of this.withCount.get(count) ?? []) {
        const socket = this.shareCandidate(holder, now);
        if (socket !== undefined && this.evict(socket)) return true;
      }
    }
    return false;
  }

  /**
   * The connection of `client` to close for `evictForShare`, if any: whatever its age, the one
   * idle longest, else the oldest that has not sent a whole request's headers (one idle that has
   * begun its next request counts as such, from when it became idle), else the one whose body
   * has come slowest since its headers.
   */
  private shareCandidate(client: string, now: number): Socket | undefined {
    return this.pickOf(client, (held, socket) => {
      if (held.kind === "idle") return [0, held.since];
      if (held.kind !== "receiving") return [1, held.since];
      const { body } = held;
      return [2, (socket.bytesRead - body.beganRead) / Math.max(1, now - body.began)];
    });
  }

  /**
   * Close a connection of `client`'s that `evictOldest` could close (stale as of `before`): the
   * oldest that has not sent a whole request's headers, else the one idle longest, else the
   * oldest whose body has come slower than the floor since it was last looked at; whether one
   * was. A look at the address's own connections only (at most its share), which changes none of
   * the lists: one idle that has been read from since is passed over, as sending its next request.
   */
  evictStaleOf(client: string, before: number, now: number): boolean {
    const chosen = this.pickOf(client, (held, socket) => {
      if (held.kind === "receiving") {
        const { body } = held;
        return body.since <= before && !this.keepsUp(socket, body, now)
          ? [2, body.since]
          : undefined;
      }
      // one idle that has begun its next request is passed over
      if (held.kind === "begun" || held.since > before) return undefined;
      return [held.kind === "waiting" ? 0 : 1, held.since];
    });
    return chosen !== undefined && this.evict(chosen);
  }

  /**
   * The connection of `client` that `rank` puts first: ranked by what it is doing (`heldAs`),
   * `[preference, value]`, the lowest preference first, then the lowest value (the first met of
   * equals); undefined for one not to pick. One being closed is passed over.
   */
  private pickOf(
    client: string,
    rank: (held: Held, socket: Socket) => [preference: number, value: number] | undefined,
  ): Socket | undefined {
    let best: [Socket, number, number] | undefined;
    for (const socket of this.byClient.get(client) ?? []) {
      if (socket.destroyed) continue;
      const held = this.heldAs(socket);
      const ranked = held && rank(held, socket);
      if (ranked === undefined) continue;
      const [preference, value] = ranked;
      if (!best || preference < best[1] || (preference === best[1] && value < best[2]))
        best = [socket, preference, value];
    }
    return best?.[0];
  }

  /** What `socket`, a holder, is doing, as the lists say (`Held`); undefined when in none of them. */
  private heldAs(socket: Socket): Held | undefined {
    const since = this.waiting.get(socket);
    if (since !== undefined) return { kind: "waiting", since };
    const quiet = this.idle.get(socket);
    if (quiet !== undefined) {
      const stillIdle = socket.bytesRead === quiet.read && !this.begun(socket);
      return { kind: stillIdle ? "idle" : "begun", since: quiet.since };
    }
    const body = this.receiving.get(socket);
    if (body !== undefined && !body.req.complete && socket.bytesWritten === body.written)
      return { kind: "receiving", body };
    return undefined;
  }

  /** Whether `socket`'s body has come at the floor's rate (at least a byte) since it was last judged, at `body.since`. */
  private keepsUp(socket: Socket, body: Pick<Receiving, "since" | "read">, now: number): boolean {
    return (
      socket.bytesRead - body.read >= Math.max(1, (this.minBodyRate * (now - body.since)) / 1000)
    );
  }

  /** The oldest holder accepted at `before` or earlier that has not sent a whole request's headers, with its time (one being closed passed over). */
  oldestWaiting(before: number): [Socket, number] | undefined {
    for (const entry of this.waiting) {
      if (entry[1] > before) return undefined;
      if (!entry[0].destroyed) return entry;
    }
    return undefined;
  }

  /** Close `socket`, freeing its place, unless it is being closed already: whether it was closed. */
  evict(socket: Socket): boolean {
    if (socket.destroyed) return false;
    // the request whose body it awaits, which Node aborts at its close (none otherwise: no error made)
    const inFlight = this.receiving.get(socket)?.req;
    this.leave(socket);
    if (inFlight !== undefined && !inFlight.complete && closesInOrder(socket)) {
      socket.prependOnceListener("close", closesWithoutStacks);
      inFlight.prependOnceListener("aborted", restoreStacks);
    }
    cutBy(socket, "evicted");
    return true;
  }
}

/**
 * Each connection's close listeners as the server's connection listener found them: Node's own
 * (`socketOnClose`, added by its connection listener, the server's first) and the server's, the
 * next; none recorded when another came before the server's (review 24: a connection listener
 * prepended, or a close listener added at the connection, ran inside the stackless window).
 */
const closeListeners = new WeakMap<Socket, { node: unknown; server: unknown }>();

/** Whether `socket`'s close listeners are still Node's, directly followed by the server's (`closeListeners`). */
function closesInOrder(socket: Socket): boolean {
  const order = closeListeners.get(socket);
  const [first, second] = socket.listeners("close");
  return order !== undefined && first === order.node && second === order.server;
}

/**
 * `Error.stackTraceLimit` as it was when the close of a connection the server evicted began
 * (`closesWithoutStacks`), until Node's own listener of that close has run (`restoreStacks`).
 */
let stackTraceLimitBeforeClose: number | undefined;

/**
 * The first listener of an evicted connection's close: until Node's, the next, has made the
 * `aborted` error of the request in flight on it (whose stack Node reads at once) and emitted
 * the request's `aborted`, errors are made without a stack. Nobody reads that one (body.ts takes
 * the request's end, not its error), and a flood of bodies dripped, evicted as they are renewed
 * (red team 14, F3), had the server make and format one for each: 4-6% of its time, the
 * formatting through source maps under tsx (node-stacks.ts;
 * bench/results/2026-12-06-slowloris-events.txt). Only while the close listeners are Node's
 * followed by the server's (`closesInOrder`): the request's first `aborted` listener restores
 * the stacks, else the server's close listener; nothing else runs in between (review 24).
 */
function closesWithoutStacks(): void {
  if (stackTraceLimitBeforeClose === undefined) stackTraceLimitBeforeClose = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  // should Node's listener throw, the listener that restores it would not run: this turn's end does
  queueMicrotask(restoreStacks);
}

/** Errors have stacks again after an evicted connection's close (`closesWithoutStacks`). */
function restoreStacks(): void {
  if (stackTraceLimitBeforeClose === undefined) return;
  Error.stackTraceLimit = stackTraceLimitBeforeClose;
  stackTraceLimitBeforeClose = undefined;
}

export class Connections {
  /** Every open connection of the server (an evicted one too, until its close comes). */
  readonly open = new Set<Socket>();
  private readonly served: Places;
  /** The requests of each connection not yet answered (node's `request`, less `responseEnded`). */
  private readonly answering = new WeakMap<Socket, number>();
  /** The last request each connection sent (answered last: Node answers a connection's requests in order). */
  private readonly latest = new WeakMap<Socket, IncomingMessage>();
  /** How many bytes had been read of each connection when its last request outstanding was answered. */
  private readonly readWhenAnswered = new WeakMap<Socket, number>();
  /**
   * The connections whose parser has begun a message not yet handed over as a request (its
   * `kOnMessageBegin`, then the server's `request`): a request is half in (`watchMessageStarts`).
   */
  private readonly messageBegun = new WeakSet<Socket>();
  /** Connections accepted beyond `maxConnections`: their requests are answered 503. */
  private readonly overCap: Places;
  /** Those of `overCap` placed there because their address held its share of the served places (`placeFor`). */
  private readonly overShare = new WeakSet<Socket>();
  /** The served places one address may hold; 0: no bound (the header, "One address's share"). */
  private readonly perAddress: number;
  private closingIdle = false;
  /** Whether the server still listens while draining (closeIdle waits for it to stop). */
  private listening = true;
  /** Called when the last open connection closes (while draining). */
  private onEmpty: (() => void) | undefined;
  /** Connections closing lingering, holding no place (the header), oldest first. */
  private readonly lingering = new Set<Socket>();
  private readonly lingerLimit: number;

  constructor(
    private readonly server: Server,
    limits: ConnectionLimits,
    events: {
      onDrop?: () => void;
      onCountChange?: (open: number) => void;
      onEvict?: () => void;
      /** A lingering close ended early: `lingerLimit` connections lingered already. */
      onLingerCut?: () => void;
    } = {},
    /** How long a connection may stay open without a whole request's headers before a newcomer at the cap takes its place (ms). */
    evictAfterMs = 1000,
  ) {
    if (limits.headersTimeoutMs > limits.requestTimeoutMs) {
      throw new RangeError(
        `headersTimeoutMs (${limits.headersTimeoutMs}) must not exceed requestTimeoutMs (${limits.requestTimeoutMs})`,
      );
    }
    server.headersTimeout = limits.headersTimeoutMs;
    server.requestTimeout = limits.requestTimeoutMs;
    // (Node's default, said here: a request's fields past it are dropped, and app.ts refuses a
    // request that reaches it)
    server.maxHeadersCount = MAX_HEADER_FIELDS;
    server.keepAliveTimeout = limits.keepAliveTimeoutMs;
    // the interval at which Node checks the two timeouts above (read when the server starts
    // listening): a tenth of the shorter one, so that a timeout fires at most 10% late
    (server as Server & { connectionsCheckingInterval: number }).connectionsCheckingInterval =
      Math.max(
        10,
        Math.min(1000, Math.floor(Math.min(limits.headersTimeoutMs, limits.requestTimeoutMs) / 10)),
      );
    server.maxConnections = connectionBackstop(limits.maxConnections);
    const begun = (socket: Socket) => this.messageBegun.has(socket);
    this.served = new Places(limits.maxConnections, limits.minBodyRate, begun);
    this.overCap = new Places(connectionMargin(limits.maxConnections), limits.minBodyRate, begun);
    this.lingerLimit = lingerLimit(limits.maxConnections);
    this.perAddress = limits.maxConnectionsPerAddress ?? 0;
    server.on("drop", () => events.onDrop?.());
    server.on("request", (req) => {
      const socket = req.socket as Socket;
      const now = performance.now();
      // every request, this one's headers all in (app.ts hands those asking for 100-continue or
      // another expectation over as requests too)
      this.messageBegun.delete(socket);
      // a request after a refusal that closes its connection is not run (app.ts), nor counted:
      // counted, it kept the connection from ever being idle, and a lingering one held its place
      // at the cap for the linger's 5 s (review 4)
      if (cameAfterClose(req)) return;
      const answering = (this.answering.get(socket) ?? 0) + 1;
      this.answering.set(socket, answering);
      this.latest.set(socket, req);
      this.placesOf(socket).requested(socket, req, now, answering === 1);
    });
    server.on("connection", (socket: Socket) => {
      const now = performance.now();
      const client = clientOf(socket);
      const places = this.placeFor(now, evictAfterMs, events.onEvict, client, socket);
      if (places === undefined) {
        socket.destroy();
        events.onDrop?.();
        return;
      }
      places.take(socket, now, client);
      this.open.add(socket);
      this.watchMessageStarts(socket);
      events.onCountChange?.(this.open.size);
      socket.once(LINGERING, () => this.linger(socket, places, events.onLingerCut));
      // an evicted connection's errors have stacks again once Node has aborted its request
      const closed = () => {
        restoreStacks();
        places.leave(socket);
        this.lingering.delete(socket);
        this.open.delete(socket);
        events.onCountChange?.(this.open.size);
        if (this.open.size === 0) this.onEmpty?.();
      };
      socket.once("close", closed);
      // Node's close listener alone before it (the server's connection listener its first after
      // Node's): an eviction may then make the aborted request's error without a stack
      const before = socket.listeners("close");
      if (before.length === 2 && before[1] === closed)
        closeListeners.set(socket, { node: before[0]!, server: closed });
    });
  }

  /**
   * `socket`'s lingering close has begun: it leaves its place (it stays open, and in `open`
   * for the drain), and the oldest linger is closed when more than `lingerLimit` linger.
   */
  private linger(socket: Socket, places: Places, onCut: (() => void) | undefined): void {
    if (socket.destroyed) return;
    places.leave(socket);
    this.lingering.add(socket);
    // no bound once the listener is closed (a shutdown): every connection then closes lingering
    // after its last answer, no newcomer needs a descriptor, and the drain's timeout bounds them.
    // Bounded, the shutdown reset those past it, cutting answers their clients had not yet read
    // (review 16b: 30 of 130, or 4 of 20 at a cap of 20), and the stop was logged clean
    if (!this.listening || this.lingering.size <= this.lingerLimit) return;
    const [oldest] = this.lingering;
    this.lingering.delete(oldest!);
    oldest!.destroy();
    onCut?.();
  }

  /** The places a newcomer `socket` from `client` takes, after evicting a connection to free one if need be (the rule in the header); undefined when there is none. */
  private placeFor(
    now: number,
    evictAfterMs: number,
    onEvict: (() => void) | undefined,
    client: string,
    socket: Socket,
  ): Places | undefined {
    const stale = now - evictAfterMs;
    if (this.perAddress > 0 && this.served.heldBy(client) >= this.perAddress) {
      // its address holds its share (the header, "One address's share"): one of its own stale
      // connections makes room, else the newcomer is told so, beyond the cap, else dropped
      if (this.served.evictStaleOf(client, stale, now)) {
        onEvict?.();
        return this.served;
      }
      if (this.overCap.full && !this.overCap.evictOldest(stale, now)) return undefined;
      this.overShare.add(socket);
      return this.overCap;
    }
    for (const places of [this.served, this.overCap]) {
      if (!places.full) return places;
      // a served place, from the address holding the most, for a newcomer from one holding
      // fewer (the header, point 2): tried only once nothing is stale, so that an address
      // holding its share loses nothing while there is a place that nobody uses
      if (
        places.evictOldest(stale, now) ||
        (places === this.served && places.evictForShare(client, now))
      ) {
        onEvict?.();
        return places;
      }
    }
    // past the margin, where the newcomer would be dropped: the oldest that has not sent a
    // request, once open a fifth of evictAfterMs (the header, point 5: one given a place has
    // that long to send its headers; with no floor, a flood of connects reset each placed
    // client within ms, the review found)
    const young = now - evictAfterMs / 5;
    const served = this.served.oldestWaiting(young);
    const overCap = this.overCap.oldestWaiting(young);
    const [places, oldest] =
      served && (!overCap || served[1] <= overCap[1])
        ? [this.served, served]
        : [this.overCap, overCap];
    if (oldest === undefined || !places.evict(oldest[0])) return undefined;
    onEvict?.();
    return places;
  }

  /** The kind of place `socket` holds, if any (one evicted holds none, and is told nothing). */
  private placesOf(socket: Socket): Places {
    return this.served.has(socket) ? this.served : this.overCap;
  }

  /** Whether the connection was accepted beyond the cap (its requests get 503). */
  isOverCap(socket: Socket): boolean {
    return this.overCap.has(socket);
  }

  /**
   * Why the connection was accepted beyond the cap, if it was: the served places were all taken
   * (`cap`), or its address held its share of them (`address`, the server not full).
   */
  overCapBecause(socket: Socket): "cap" | "address" | undefined {
    if (!this.overCap.has(socket)) return undefined;
    return this.overShare.has(socket) ? "address" : "cap";
  }

  /**
   * A response of `socket` has ended (or its connection closed before it was sent). When it was
   * the last one outstanding, the connection is idle, and may make room for a newcomer at the
   * cap (the header). While draining, a connection that has become idle is closed (Node closes
   * one whose response said `connection: close` itself; this covers a response whose headers
   * were sent before the shutdown began).
   */
  responseEnded(socket: Socket): void {
    const left = (this.answering.get(socket) ?? 1) - 1;
    this.answering.set(socket, left);
    const last = this.latest.get(socket);
    if (left === 0) {
      this.latest.delete(socket);
      this.readWhenAnswered.set(socket, socket.bytesRead);
      // answered before its body was all in (a 405 kept alive, say): Node reads the rest and
      // throws it away, and the connection has nothing pending once it is in
      if (last !== undefined && !last.complete)
        last.once("end", () => {
          if ((this.answering.get(socket) ?? 0) > 0) return;
          this.readWhenAnswered.set(socket, socket.bytesRead);
          if (this.closingIdle) setImmediate(() => this.closeIdle());
        });
    }
    if (left === 0 && !socket.destroyed) {
      this.placesOf(socket).answered(socket, performance.now());
    } else if (left === 1 && last !== undefined && !socket.destroyed) {
      // pipelined: the last request alone is left, perhaps with its body still to come
      this.placesOf(socket).alone(socket, last, performance.now());
    }
    if (this.closingIdle) setImmediate(() => this.closeIdle());
  }

  /**
   * Close the connections with nothing pending (`hasNothingPending`). Called from setImmediate,
   * and each one found so is closed only if it still is at a second look, after the next poll
   * phase has read whatever the kernel held for it: a request that was on its way is then being
   * parsed, and its connection is no longer idle. (One look is not enough: Node stops reading a
   * pipelining connection while its answers wait to be sent, and reads again once the last is
   * handed to the kernel, the very turn its response's close calls this.)
   *
   * Not Node's `closeIdleConnections`: its idle is its parser's, between two requests, which a
   * connection is while Node waits to send its answers (it reads no more meanwhile), and it
   * passes over only a response not yet ended, where an answer ended is still being sent: red
   * team 11's slow reader of 40 pipelined answers of 170 KB was destroyed with 171,618 bytes
   * still unsent, its 24th answer cut mid-body and the 16 requests after it dropped unanswered,
   * and the stop logged clean.
   */
  private closeIdle(): void {
    // not while still listening: a connection accepted in this turn has had nothing read yet,
    // and looks idle; closing it would reset the request the kernel holds for it. The
    // listener's close runs this again (drain)
    if (this.listening) return;
    const seen = new Map<Socket, number>();
    for (const socket of this.open)
      if (this.hasNothingPending(socket)) seen.set(socket, socket.bytesRead);
    if (seen.size === 0) return;
    setImmediate(() => {
      for (const [socket, read] of seen)
        if (socket.bytesRead === read && this.hasNothingPending(socket)) socket.destroy();
    });
  }

  /**
   * Whether `socket` may be closed without losing anything: every request it sent has been
   * answered (a response is at its `close`, once its last byte has left this process for the
   * kernel, which sends it even after the close), nothing it was written waits in this process
   * (`writableLength`), nothing has been read of it since its last answer (the start of its next
   * request), and its parser is not in the middle of a request's headers (`watchMessageStarts`); or it
   * has never sent a byte.
   */
  private hasNothingPending(socket: Socket): boolean {
    return (
      !socket.destroyed &&
      (this.answering.get(socket) ?? 0) === 0 &&
      socket.writableLength === 0 &&
      socket.bytesRead === (this.readWhenAnswered.get(socket) ?? 0) &&
      !this.messageBegun.has(socket)
    );
  }

  /**
   * Have `socket`'s parser tell when it begins a message (its `kOnMessageBegin` callback, which
   * Node's server leaves unset, and which Node clears when the parser goes back to its pool); the
   * server's `request` says when the message's headers are all in. Bytes alone cannot tell a
   * request half in: the start of a next request read in the same chunk as the last one answered
   * is no byte read since that answer (review 12: `GET ...\r\n\r\nGET /health HTTP/1.1\r\nHo`
   * in one write had the first answered, and at the grace period's end its connection was closed
   * with the second half in, the stop logged clean). Node's own idle list (what its
   * `closeIdleConnections` reads) cannot tell it either: it counts a parser as having begun a
   * message from its creation, so a connection that never sent a byte was never closed (the
   * reverted 6bfae43); nor can the parser's `incoming`, which Node empties once a request is
   * answered. The parser is Node's internal object, as node:cluster's hand-offs are
   * (cluster.ts): without it, the judgement is the bytes' alone, as before, and
   * tests/server/shutdown.test.ts fails should a Node change it.
   */
  private watchMessageStarts(socket: Socket): void {
    const parser = (socket as Socket & { parser?: Record<number, unknown> | null }).parser;
    const begin = (parser?.constructor as { kOnMessageBegin?: unknown } | undefined)
      ?.kOnMessageBegin;
    if (!parser || typeof begin !== "number") return;
    const previous = parser[begin];
    const begun = this.messageBegun;
    parser[begin] = function (this: unknown, ...args: unknown[]) {
      begun.add(socket);
      return typeof previous === "function" ? previous.apply(this, args) : undefined;
    };
  }

  /**
   * Run `fn` once the kernel's queue of connections it has accepted for the server is empty:
   * after a turn of the event loop (its poll phase included) in which Node accepted no
   * connection, and which was short, or followed two more such turns. Node accepts one queued
   * connection per turn, so a queue of ten takes ten turns; closing the listening socket before
   * would reset the connections still in it. While requests execute, every turn runs a slice of
   * them (src/graph/scheduler.ts) and none is short: three turns in a row without a connection
   * say the queue is empty as well (the close then comes at most a turn after the poll that found
   * it so). `fn` runs anyway once no connection has been accepted for `idleMs`, or after `maxMs`
   * under a steady stream of new connections, whose queue may never empty; a queue still being
   * taken, a connection a turn, is not cut short at `idleMs` (at 100,000 entities, 200 clients
   * connecting while slow requests ran were reset by the 130s when the listener closed after 1 s).
   */
  private afterBacklog(idleMs: number, maxMs: number, fn: () => void): void {
    let accepted = 0;
    let lastAccepted = performance.now();
    const count = () => {
      accepted++;
      lastAccepted = performance.now();
    };
    this.server.on("connection", count);
    const started = performance.now();
    let emptyTurns = 0;
    const quietTurn = () => {
      const before = accepted;
      const turnStarted = performance.now();
      setImmediate(() => {
        const now = performance.now();
        emptyTurns = accepted === before ? emptyTurns + 1 : 0;
        // quiet: no connection accepted, and a short turn, so that the time between the poll
        // that found the queue empty and the close below, when one more could queue, is short
        const quiet = emptyTurns > 0 && (now - turnStarted < 1 || emptyTurns >= 3);
        if (quiet || now - lastAccepted >= idleMs || now - started >= maxMs) {
          this.server.off("connection", count);
          fn();
        } else {
          quietTurn();
        }
      });
    };
    // from this turn's check phase on, so that the first turn watched is a whole one
    setImmediate(quietTurn);
  }

  /**
   * Stop gracefully, in this order:
   * 1. keep listening until every connection the kernel has already accepted (queued while a
   *    long request held the loop, say) is accepted by Node too (`afterBacklog`);
   * 2. stop listening (new connections are refused), then call `onStopListening`;
   * 3. answer every request received, each with `connection: close` from then on (the caller
   *    sets it in `onStopListening`: before it, a client told to close would connect again, and
   *    a stream of such new connections could keep the kernel's queue from ever emptying, so
   *    that closing the listener would reset the last of them);
   * 4. after `graceMs`, and not before the listener is closed (until then, a connection just
   *    taken from the kernel's queue looks idle to Node), close the connections that are idle,
   *    each only after a poll phase has read whatever it had sent (a request on it at that
   *    moment is answered instead);
   * 5. resolve when every connection has closed; at `timeoutMs`, destroy what is left and
   *    report it as cut off, once their closes have come (at most a second later).
   */
  drain(
    timeoutMs: number,
    graceMs: number,
    inFlight: number,
    onStopListening?: () => void,
    /**
     * Listen until this resolves too, within half of `timeoutMs`: a `--workers` worker, until its
     * primary no longer accepts connections for it (cluster.ts `primaryStoppedAccepting`).
     */
    listenUntil?: Promise<unknown>,
  ): Promise<DrainResult> {
    const { server } = this;
    return new Promise((resolve) => {
      let settled = false;
      let listening = true;
      const settle = (result: DrainResult) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        clearTimeout(grace);
        resolve(result);
      };
      /** What the timeout cut off, once it has. */
      let cut: DrainResult | undefined;
      const check = () => {
        if (!listening && this.open.size === 0) settle(cut ?? { clean: true, inFlight, cutOff: 0 });
        else if (cut !== undefined && this.open.size === 0) settle(cut);
      };
      const timer = setTimeout(() => {
        const cutOff = this.open.size;
        cut = { clean: cutOff === 0, inFlight, cutOff };
        // each with its reason first (closeAllConnections would destroy them, and a destroyed
        // socket's reason is not taken), then whatever Node still counts
        for (const socket of [...this.open]) cutBy(socket, "shutdown");
        server.closeAllConnections();
        // settled once their closes have come, in which each request cut is logged (499, with
        // `cut`: before, the process exited first and they were logged nowhere), or a second on
        if (this.open.size === 0) settle(cut);
        else setTimeout(() => settle(cut!), 1000).unref();
      }, timeoutMs);
      const grace = setTimeout(() => {
        this.closingIdle = true;
        setImmediate(() => this.closeIdle());
      }, graceMs);
      this.onEmpty = check;
      const stopListening = () => {
        // net.Server's close, not http.Server's: that one would also close idle connections now
        NetServer.prototype.close.call(server, () => {
          listening = false;
          check();
        });
        // the listening socket is closed now (the callback above waits for the connections):
        // if the grace period ended while the queue was being taken, idle connections go now,
        // after a poll phase has read what the last ones accepted had sent
        this.listening = false;
        if (this.closingIdle) setImmediate(() => this.closeIdle());
        onStopListening?.();
      };
      const began = performance.now();
      this.afterBacklog(
        Math.min(graceMs, 1000),
        timeoutMs / 2,
        listenUntil === undefined
          ? stopListening
          : () => {
              let stopped = false;
              const once = () => {
                if (stopped) return;
                stopped = true;
                clearTimeout(bound);
                stopListening();
              };
              const bound = setTimeout(
                once,
                Math.max(0, timeoutMs / 2 - (performance.now() - began)),
              );
              void listenUntil.then(once, once);
            },
      );
    });
  }
}

/**
 * Requests Node cannot even parse (a header or URL over its size limit, a malformed request
 * line, a bad Content-Length) get a JSON answer too, instead of a bare status line; `onRefused`
 * is told each one's status and parser code, and its connection (for the log and the metrics,
 * which saw none of them: an attack of oversized headers left no trace; the connection says
 * whether a request already being answered on it is the one refused: a body too slow), and
 * may give a promise of the answers the refusal must wait for.
 */
export function answerMalformedRequests(
  server: Server,
  limits: Pick<ConnectionLimits, "headersTimeoutMs" | "requestTimeoutMs">,
  onRefused: (status: number, code: string, socket: Socket) => Promise<void> | undefined = () =>
    undefined,
): void {
  /** Connections refused (whose refusal may wait for the answers before it, see below), with what they had sent then (bytes). */
  const refused = new WeakMap<Socket, number>();
  server.on("clientError", (error: NodeJS.ErrnoException, socket) => {
    if (error.code === "ECONNRESET" || !socket.writable) {
      socket.destroy();
      return;
    }
    // the parser stays in error, and gives every later byte of the connection here again: the
    // request was refused once, and its refusal is on its way. A client that goes on sending is
    // cut off past IGNORED_BYTES: while its refusal waited for the answers before it, it could
    // stream junk for as long as it took them to be read (red team 5: 30 GB in 25 s, 15 s of CPU)
    const before = refused.get(socket as Socket);
    if (before !== undefined) {
      if ((socket as Socket).bytesRead - before > IGNORED_BYTES) cutBy(socket as Socket, "refused");
      return;
    }
    refused.set(socket as Socket, (socket as Socket).bytesRead);
    const [status, message] =
      error.code === "HPE_HEADER_OVERFLOW"
        ? [
            431,
            "The request's headers (or its URL) are larger than the server accepts (16 KB): send a shorter URL, or POST the query as JSON.",
          ]
        : error.code === "ERR_HTTP_REQUEST_TIMEOUT"
          ? [
              408,
              `The request did not arrive in time: the server waits ${seconds(limits.headersTimeoutMs)} for a request's headers and ${seconds(limits.requestTimeoutMs)} for the whole request.`,
            ]
          : [
              400,
              `The HTTP request is malformed: ${(error as { reason?: string }).reason ?? "Node's HTTP parser refused it"} (${error.code ?? "unparsable"}).`,
            ];
    const body = errorJson("BAD_REQUEST", message);
    const answer = () => {
      // written: what comes after is left to the second below, as a refusal at once has it
      refused.set(socket as Socket, Number.POSITIVE_INFINITY);
      if (!socket.writable) {
        socket.destroy();
        return;
      }
      socket.end(
        `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\ncontent-type: application/json; charset=utf-8\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`,
      );
      // the client has a second to read the answer and close; one that keeps the connection
      // open (sending more, slowly) is cut off then: no timeout of Node's applies to it any more
      setTimeout(() => socket.destroy(), 1000).unref();
    };
    // written raw, the refusal must follow the answers to the requests received before it on the
    // connection (pipelined): written at once, it came before them, and was read as the first
    // one's answer, or in the middle of one being sent
    // and it waits at most a request's time (`requestTimeoutMs`, which no longer applies to the
    // connection): a client reading its earlier answers slowly would otherwise keep it open
    const answered = onRefused(status, error.code ?? "unparsable", socket as Socket);
    if (answered === undefined) answer();
    else {
      const deadline = setTimeout(
        () => cutBy(socket as Socket, "refused"),
        limits.requestTimeoutMs,
      ).unref();
      void answered.then(() => {
        clearTimeout(deadline);
        answer();
      });
    }
  });
}

/** Bytes a refused connection may send after its refusal before it is cut off (answerMalformedRequests). */
const IGNORED_BYTES = 64 * 1024;

/** A duration in ms, as a client reads it ("10 s", "250 ms"). */
function seconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${ms} ms`;
}
