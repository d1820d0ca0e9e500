/**
 * The connections a `--workers` primary holds for its workers, bounded (red team 14, F1).
 *
 * node:cluster's round-robin (its default on Linux) has the primary accept every connection the
 * kernel offers and queue it until a worker takes it, one hand-off in flight per worker. Accepting
 * is far faster than handing off (1,500-3,000 a second here), and the queue has no bound: a flood of
 * connects reset at once by their client (who so holds nothing) took the primary to its file
 * limit (20,000 descriptors: it could then open nothing, not a pipe for a replacement worker), and
 * the queue outlived the flood, honest connections waiting behind it for 4.6-18.6 s. A single
 * process is spared this by the kernel's listen queue, which drops the SYNs past it (the client
 * tries again a second later) and slows the flood with them. None of the workers' connection
 * limits (connections.ts) sees a connection before a worker has it.
 *
 * So the primary counts the connections it holds (accepted, not yet taken by a worker: queued or
 * in a hand-off) and closes a newcomer at once while it holds `max` of them, as a full listen
 * queue refuses one: its client sees the connection closed before any answer (and may try again),
 * and the queue, the descriptors and every honest client's wait stay bounded. The count is kept
 * by wrapping what the round-robin sets as its listening handle's `onconnection` (its
 * `distribute`) and each connection's `close` (which the round-robin calls once a worker took it,
 * or the primary when its worker died: cluster.ts, `closeStranded`). The round-robin makes its
 * listening server with `net.createServer` and takes the handle from it on 'listening'; node:net's
 * `createServer` is wrapped in this (primary) process, which makes no server of its own, so that
 * each server's handle is watched from then on. Where Node's internals differ, nothing is wrapped
 * and nothing is bounded (`wrapped` stays 0: the test of this file fails, which is how a Node
 * upgrade would be caught).
 */
import net from "node:net";

/** A TCP handle as Node's internals hold it: a listening one is given `onconnection`. */
interface TcpHandle {
  close(callback?: () => void): void;
  onconnection?: (error: number, client: TcpHandle | undefined) => void;
}

export class PrimaryQueue {
  /** Connections accepted and not yet taken by a worker (nor closed). */
  held = 0;
  /** Connections closed at once for the bound, since the start. */
  refused = 0;
  /** Listening handles' `onconnection` wrapped, since the start. */
  wrapped = 0;
  /** Connections accepted since the start (those closed at once for the bound included). */
  accepted = 0;
  /** The listening handles watched: closed by stopAccepting. */
  private readonly listeners = new Set<TcpHandle>();
  /** Whether stopAccepting was called: a connection still offered is closed at once. */
  private stopped = false;

  constructor(
    /** The most connections held at once; a newcomer past it is closed. */
    private readonly max: number,
    /** Told of each newcomer closed for the bound. */
    private readonly onRefused: () => void = () => {},
  ) {}

  /**
   * Watches the servers this process makes from now on (node:net's `createServer`): each listening
   * handle's `onconnection`, once set (by the round-robin, as it listens), is wrapped. Once per process.
   */
  install(): void {
    const queue = this;
    const createServer = net.createServer;
    net.createServer = function (this: unknown, ...args: Parameters<typeof createServer>) {
      const server = createServer.apply(this, args);
      // (registered before the round-robin's own 'listening' listener, which sets `onconnection`)
      server.once("listening", () => {
        const handle = (server as unknown as { _handle?: TcpHandle | null })._handle;
        if (handle) queue.watch(handle);
      });
      return server;
    } as typeof createServer;
  }

  /**
   * Stops accepting connections: every listening handle watched is closed, so that the kernel
   * refuses new ones, as a single process's stopped listener does. The round-robin keeps handing
   * the connections it holds to its workers. Stopping, the primary waited for every worker to
   * close its own server before the round-robin closed its listener, and once the healthy workers
   * had gone, every new connection was accepted for one that never took it (a worker whose loop
   * was held: red team 42, 29 of 60 new connections hung and 19 were reset over the 12 s before
   * it was killed).
   */
  stopAccepting(): void {
    this.stopped = true;
    for (const listener of this.listeners) {
      try {
        listener.close();
      } catch {
        // closed already (by the round-robin, its workers all gone)
      }
    }
    this.listeners.clear();
  }

  /** Wraps whatever `onconnection` is set on `listener` from now on. */
  private watch(listener: TcpHandle): void {
    this.listeners.add(listener);
    let wrapped = listener.onconnection;
    Object.defineProperty(listener, "onconnection", {
      configurable: true,
      get: () => wrapped,
      set: (distribute: TcpHandle["onconnection"]) => {
        wrapped = distribute && this.bound(listener, distribute);
      },
    });
  }

  private bound(
    listener: TcpHandle,
    distribute: NonNullable<TcpHandle["onconnection"]>,
  ): TcpHandle["onconnection"] {
    this.wrapped++;
    return (error, client) => {
      if (error || client === undefined) return distribute.call(listener, error, client);
      if (this.stopped) {
        client.close();
        return;
      }
      this.accepted++;
      if (this.held >= this.max) {
        this.refused++;
        client.close();
        this.onRefused();
        return;
      }
      this.held++;
      const close = client.close;
      let open = true;
      client.close = (...args: [(() => void)?]) => {
        if (open) {
          open = false;
          this.held--;
        }
        return close.apply(client, args);
      };
      return distribute.call(listener, error, client);
    };
  }
}
