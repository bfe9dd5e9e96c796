import type { Ack, Audience, JoinResult, OwnerHint, RoomId } from "../domain/protocol/envelope.js";
import { isNoAnswer, type NodeBus, type RemoteReply, type RemoteRequest, type RoomDirectory } from "./coordination.js";
import { Batcher } from "./batcher.js";
import { ColdClaims } from "./coldClaims.js";
import { LeaseWatch } from "./leaseWatch.js";
import type { RoomLog, RoomMessage } from "./ports.js";
import type { RoomRegistry } from "./RoomRegistry.js";

export interface RouterOptions {
  node: string;
  directory: RoomDirectory;
  bus: NodeBus;
  registry: RoomRegistry;
  log: RoomLog;
  now: () => number;
  /** How long to wait for the owner of a room to answer a forwarded request before suspecting it is gone. */
  requestTimeoutMs: number;
  /** A watcher on another node joined `room` through this one (its owner): its broadcasts must reach that node from now on. */
  onRemoteJoin?: (room: RoomId, audience: Audience, from?: string, stamp?: number) => void;
  /** This node's watch-announcement count, sent with a forwarded join (taken after the watcher's socket joined its channel). */
  watchStamp?: () => number;
  /** What `room:join` answers say about this node when it runs the room (opaque; see {@link OwnerHint}). */
  hint?: OwnerHint;
}

/** Marks a forwarded request abandoned because the room's lease left its owner. */
const MOVED = Symbol("moved");

const unavailable = (message: string, retryAfterMs = 300): Ack<never> => ({
  ok: false,
  error: { code: "UNAVAILABLE", message, retryAfterMs },
});

/**
 * Routes every room message to the one node that owns the room. The first node to touch a room
 * claims its lease and runs its actor; other nodes forward to it and relay the answer. While this
 * node cannot prove its lease (Redis unreachable past the lease time) it refuses with a retryable
 * UNAVAILABLE. Safety does not depend on this: every commit is fenced in the database.
 */
export class RoomRouter {
  /** Rooms this node owns → until when the lease is known to hold. */
  private readonly owned = new Map<RoomId, number>();
  /**
   * Rooms another node owns → that node, until when it is trusted without asking Redis (a lease's life).
   * A command for them is forwarded at once; a refusal from that node (it no longer owns the room) drops the entry.
   */
  private readonly remote = new Map<RoomId, { node: string; until: number }>();
  private renewTimer: ReturnType<typeof setInterval> | null = null;
  /** Owners that forwarded requests wait on: all checked in one directory read every 200 ms. */
  private readonly leases: LeaseWatch;
  /** Claims in flight (one per cold room, however many commands wait on it) and the early join beside them. */
  private readonly claims: ColdClaims;
  private closing = false;

  constructor(private readonly o: RouterOptions) {
    this.leases = new LeaseWatch(o.directory);
    this.claims = new ColdClaims(o);
    o.registry.onEvict = (room) => this.release(room);
    o.registry.remoteTell = (room, message) => void this.tellRemote(room, message);
    o.registry.route = (room, message) => this.send(room, message);
  }

  /** Serves requests from other nodes and keeps the leases of owned rooms alive. */
  async start(): Promise<void> {
    await this.o.bus.serve(this.o.node, (request) => this.serveRemote(request));
    const { leaseMs } = this.o.directory;
    if (leaseMs < Number.MAX_SAFE_INTEGER) {
      this.renewTimer = setInterval(() => void this.proveLeases(), Math.max(50, Math.floor(leaseMs / 3)));
      this.renewTimer.unref?.();
    }
  }

  /** Local when this node owns the room (claiming it if nobody does), else the owner's node id, or a refusal. */
  private async locate(room: RoomId): Promise<"local" | string | Ack<never>> {
    if (this.closing) return unavailable("This server is shutting down — try again.", 200);
    const until = this.owned.get(room);
    if (until !== undefined) {
      if (this.o.now() < until) return "local";
      // The lease ran past what we last proved — often only a renewal running late on a busy event loop.
      // Renew now: one round trip for every room here, shared by every command that waits on it (a storm on a late
      // node asked Redis once per command). Still ours (or free) keeps the room here; another node's means it moved.
      const proven = await this.proveLeases();
      if (!proven) return unavailable("This server lost contact with the cluster — try again in a moment.", 1_000);
      if ((this.owned.get(room) ?? 0) > this.o.now()) return "local";
      // A renewal sent before this lease ran out and answered late (the loop stalled past a lease's life): once more.
      if (this.owned.has(room) && !(await this.proveLeases()))
        return unavailable("This server lost contact with the cluster — try again in a moment.", 1_000);
      if (this.owned.has(room)) return "local";
    }
    const known = this.remote.get(room);
    if (known && this.o.now() < known.until) return known.node;
    const claim = this.claims.claim(room);
    // The lease is counted from when the claim was sent, whoever waits on it.
    const claimedAt = claim.at;
    let owner: string;
    try {
      ({ owner } = await claim.owner);
    } catch {
      return unavailable("The cluster can't be reached right now — try again in a moment.", 1_000);
    }
    if (owner !== this.o.node) {
      if (this.remote.size > 100_000) this.remote.clear();
      this.remote.set(room, { node: owner, until: claimedAt + this.o.directory.leaseMs });
      return owner;
    }
    this.remote.delete(room);
    this.owned.set(room, claimedAt + this.o.directory.leaseMs);
    return "local";
  }

  /** The answer came from a node that no longer runs the room (or never answered): ask Redis next time. */
  private forget(room: RoomId, owner: string, reply: RemoteReply | typeof MOVED): boolean {
    const stale = reply === MOVED || (!reply.ok && reply.error.code === "UNAVAILABLE");
    if (stale && this.remote.get(room)?.node === owner) this.remote.delete(room);
    return stale;
  }

  /** Runs a message in its room wherever the room lives, and answers when it is durable. */
  async send(room: RoomId, message: RoomMessage): Promise<Ack<unknown>> {
    for (let hop = 0; hop < 3; hop++) {
      const where = !this.closing && (this.owned.get(room) ?? 0) > this.o.now() ? "local" : await this.locate(room); // a live lease: no hop
      if (where === "local") {
        const reply = await this.o.registry.send(room, message);
        // Refused, and the room stopped here (fenced out at commit by a newer owner): nothing of it was stored.
        // Stop claiming the room and send the command on, same commandId, to wherever it runs now.
        if (!reply.ok && reply.error.code === "UNAVAILABLE" && !this.o.registry.peek(room) && hop < 2) {
          this.drop(room);
          continue;
        }
        return reply;
      }
      if (typeof where !== "string") return where;
      const cached = this.remote.has(room);
      const reply = await this.forward(room, where, { kind: "send", room, message });
      // A refusal from a cached owner may only mean the room moved: route again (same command id, so at most once).
      if (this.forget(room, where, reply) && (reply === MOVED || cached)) continue;
      return reply as Ack<unknown>;
    }
    return unavailable("This room is moving between servers — try again.", 200);
  }

  /** Runs a message here if this node owns the room or claims it now, never forwarded: "elsewhere" when another does. */
  async sendIfOwner(room: RoomId, message: RoomMessage): Promise<Ack<unknown> | "elsewhere"> {
    const where = await this.locate(room);
    if (typeof where === "object") return where;
    return where === "local" ? this.o.registry.send(room, message) : "elsewhere";
  }

  /**
   * Asks the owner, waiting as long as it holds its lease (a busy owner is slow, not gone); when the
   * lease moves or runs out, stops waiting (MOVED) so the caller routes again — claiming the room if free.
   * A command is never given up on while the owner holds the lease: its verdict is the only true answer.
   */
  private async forward(room: RoomId, owner: string, request: RemoteRequest): Promise<RemoteReply | typeof MOVED> {
    const watch = this.leases.watch(room, owner);
    const moved = watch.moved.then((): typeof MOVED => MOVED);
    try {
      for (;;) {
        const reply = await Promise.race([this.o.bus.request(owner, request, this.o.requestTimeoutMs), moved]);
        // No answer in time from an owner that still holds the lease: it may be far behind with the command in its
        // mailbox, and commit it. Answering UNAVAILABLE ("nothing happened") would be false, after any number of asks;
        // ask again with the same commandId — the owner joins it to the one in flight, or answers what it stored.
        // Only the lease leaving the owner (MOVED, raced above) ends the wait: then the caller routes again.
        if (request.kind === "send" && isNoAnswer(reply)) continue;
        return reply;
      }
    } finally {
      watch.release();
    }
  }

  /**
   * A snapshot (or missed deltas) for a watcher. `subscribe` joins the watcher's channel: at once
   * after a local join (same tick, so no delta slips between), or before asking a remote owner.
   */
  async join(room: RoomId, audience: Audience, since: number | undefined, subscribe: () => void): Promise<Ack<JoinResult>> {
    const before = this.claims.inFlight(room);
    const located = this.locate(room);
    // This join sent the room's claim: read the room beside it (one round trip in a row, not two).
    const early = this.claims.readBeside(room, before);
    const where = await located;
    if (where !== "local") early?.discard();
    if (typeof where === "object") return where;
    if (where === "local") {
      const actor = early ? await early.adopt() : this.o.registry.get(room);
      try {
        await actor.start();
      } catch {
        return { ok: false, error: { code: "NOT_FOUND", message: "We couldn't find that — it may have been removed." } };
      }
      const result = actor.join(audience, since);
      subscribe();
      return { ok: true, result: this.o.hint ? { ...result, owner: this.o.hint } : result };
    }
    subscribe();
    const stamp = this.o.watchStamp?.();
    const request: RemoteRequest = {
      kind: "join",
      room,
      audience,
      ...(since === undefined ? {} : { since }),
      ...(stamp === undefined ? {} : { from: this.o.node, stamp }),
    };
    const reply = await this.forward(room, where, request);
    this.forget(room, where, reply);
    return reply === MOVED ? unavailable("This room is moving between servers — try again.", 200) : (reply as Ack<JoinResult>);
  }

  /** Whether this node runs the room (for watcher bookkeeping). */
  isLocal(room: RoomId): boolean {
    return this.owned.has(room);
  }

  /** Owners of rooms that notes go to, looked up together: a burst of bookings tells many members' rooms at once. */
  private readonly noteOwners = new Batcher<RoomId, string | null>(async (rooms) => {
    const owners = await this.o.directory.ownersOf(rooms);
    return new Map(rooms.map((r, i) => [r, owners[i] ?? null]));
  });

  private async tellRemote(room: RoomId, message: RoomMessage): Promise<void> {
    try {
      const owner = await this.noteOwners.load(room);
      if (owner && owner !== this.o.node) this.o.bus.notify(owner, { kind: "tell", room, message });
    } catch {
      // A lost note only leaves a view stale until that room reloads; never worth failing a commit.
    }
  }

  private async serveRemote(request: RemoteRequest): Promise<RemoteReply> {
    if (request.kind === "tell") {
      if (this.owned.has(request.room)) this.o.registry.tell(request.room, request.message);
      return { ok: true, result: null };
    }
    // Only serve what this node owns (or can claim now): never forward again, so requests cannot loop.
    const where = await this.locate(request.room);
    if (typeof where === "object") return where;
    if (where !== "local") return unavailable("This room just moved to another server — try again.", 100);
    if (request.kind === "send") return this.o.registry.send(request.room, request.message);
    this.o.onRemoteJoin?.(request.room, request.audience, request.from, request.stamp);
    return this.join(request.room, request.audience, request.since, () => undefined);
  }

  /** The renewal of every owned room in flight, if any: the timer's and late commands' share it. */
  private renewing: Promise<boolean> | null = null;

  /** Renews every lease this node holds (joining a renewal already in flight); false when the directory could not be reached. */
  private proveLeases(): Promise<boolean> {
    if (!this.renewing) {
      const renewal = this.renew();
      this.renewing = renewal;
      const done = () => void (this.renewing === renewal && (this.renewing = null));
      renewal.then(done, done);
    }
    return this.renewing;
  }

  private async renew(): Promise<boolean> {
    const rooms = [...this.owned.keys()];
    if (rooms.length === 0) return true;
    const started = this.o.now();
    let lost: RoomId[];
    try {
      lost = await this.o.directory.renew(rooms, this.o.node);
    } catch (err) {
      this.o.log.warn({ err: String(err) }, "lease renewal failed; rooms stop taking commands when their lease runs out");
      return false;
    }
    const gone = new Set(lost);
    for (const room of rooms) {
      if (!this.owned.has(room)) continue;
      if (gone.has(room)) this.drop(room);
      else this.owned.set(room, started + this.o.directory.leaseMs);
    }
    return true;
  }

  /** Another node holds the room's lease: stop the local actor (its commits would be fenced out anyway). */
  private drop(room: RoomId): void {
    this.remote.delete(room);
    if (!this.owned.delete(room)) return;
    this.o.log.warn({ room }, "lease lost; stopping the room here");
    this.o.registry.drop(room);
  }

  private async release(room: RoomId): Promise<void> {
    this.owned.delete(room);
    await this.o.directory.release(room, this.o.node).catch(() => undefined);
  }

  /** Graceful handoff: stop taking rooms, drain and commit every mailbox, give the leases back. */
  async close(): Promise<void> {
    this.closing = true;
    if (this.renewTimer) clearInterval(this.renewTimer);
    this.leases.close();
    await this.o.registry.close();
    await Promise.all([...this.owned.keys()].map((room) => this.release(room)));
    await this.o.bus.close();
  }
}
