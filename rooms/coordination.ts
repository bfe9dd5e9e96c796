import type { Ack, Audience, JoinResult, RoomId } from "../domain/protocol/envelope.js";
import type { RoomMessage } from "./ports.js";

/** What a claim found: the owner after it, and whether another node gave the lease up lately. */
export interface Claim {
  owner: string;
  /**
   * This node took the lease and another node released it lately (within {@link handoffMs} of the claim): that
   * node's last commits may postdate a read of the room started before the claim, so such a read is read again.
   */
  handedOver: boolean;
}

/** How long a release is remembered for {@link Claim.handedOver}: longer than any claim a read beside it is trusted with. */
export const handoffMs = (leaseMs: number) => Math.min(leaseMs * 2, 120_000);

/**
 * Who owns which room in the cluster: a lease per room, renewed while the room lives.
 * Leases route messages; safety does not rest on them (every commit is fenced in the database).
 */
export interface RoomDirectory {
  readonly leaseMs: number;
  /** Takes the lease if nobody holds it; answers the owner after the attempt (maybe this node), in one round trip. */
  claim(room: RoomId, node: string): Promise<Claim>;
  /** The current owner, or null. */
  owner(room: RoomId): Promise<string | null>;
  /** The current owners of several rooms in one round trip, in order. */
  ownersOf(rooms: readonly RoomId[]): Promise<(string | null)[]>;
  /** Extends this node's leases (taking again any that ran out unclaimed); answers the rooms another node now holds. */
  renew(rooms: readonly RoomId[], node: string): Promise<RoomId[]>;
  /** Gives a lease up (only if this node holds it). */
  release(room: RoomId, node: string): Promise<void>;
}

/** A request between nodes: run a message or a join in a room the receiver owns, or pass a note. */
export type RemoteRequest =
  | { kind: "send"; room: RoomId; message: RoomMessage }
  /** `from`/`stamp`: the asking node and its watch-announcement count once the watcher's socket joined (see `onRemoteJoin`). */
  | { kind: "join"; room: RoomId; audience: Audience; since?: number; from?: string; stamp?: number }
  | { kind: "tell"; room: RoomId; message: RoomMessage };

export type RemoteReply = Ack<unknown> | Ack<JoinResult>;

/** Node-to-node requests (Redis pub/sub between processes; a shared map in tests). */
export interface NodeBus {
  request(node: string, request: RemoteRequest, timeoutMs: number): Promise<RemoteReply>;
  /** Fire and forget. */
  notify(node: string, request: RemoteRequest): void;
  serve(node: string, handler: (request: RemoteRequest) => Promise<RemoteReply>): Promise<void>;
  close(): Promise<void>;
}

/** Single node: this node owns every room it touches. */
export class LocalDirectory implements RoomDirectory {
  readonly leaseMs = Number.MAX_SAFE_INTEGER;
  private readonly owners = new Map<RoomId, string>();
  /**
   * Who released a room last, until someone claims it (leases never expire here). Bounded: a single node evicts rooms
   * all day and never claims most of them again, so the oldest go first.
   */
  private readonly released = new Map<RoomId, string>();
  private static readonly RELEASED_KEPT = 10_000;

  async claim(room: RoomId, node: string): Promise<Claim> {
    const current = this.owners.get(room);
    if (current) return { owner: current, handedOver: false };
    this.owners.set(room, node);
    const last = this.released.get(room);
    this.released.delete(room);
    return { owner: node, handedOver: last !== undefined && last !== node };
  }

  async owner(room: RoomId): Promise<string | null> {
    return this.owners.get(room) ?? null;
  }

  async ownersOf(rooms: readonly RoomId[]): Promise<(string | null)[]> {
    return rooms.map((r) => this.owners.get(r) ?? null);
  }

  async renew(rooms: readonly RoomId[], node: string): Promise<RoomId[]> {
    for (const r of rooms) if (!this.owners.has(r)) this.owners.set(r, node);
    return rooms.filter((r) => this.owners.get(r) !== node);
  }

  async release(room: RoomId, node: string): Promise<void> {
    if (this.owners.get(room) !== node) return;
    this.owners.delete(room);
    this.released.delete(room);
    this.released.set(room, node);
    if (this.released.size > LocalDirectory.RELEASED_KEPT) this.released.delete(this.released.keys().next().value!);
  }
}

/** In-process bus connecting nodes of one process (tests); requests fail fast to unknown nodes. */
export class LocalBus implements NodeBus {
  private static readonly handlers = new Map<string, (r: RemoteRequest) => Promise<RemoteReply>>();
  private readonly served: string[] = [];

  async request(node: string, request: RemoteRequest, timeoutMs: number): Promise<RemoteReply> {
    const handler = LocalBus.handlers.get(node);
    if (!handler) return unreachable(node);
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<RemoteReply>((resolve) => {
      timer = setTimeout(() => resolve(noAnswer(node)), timeoutMs);
    });
    try {
      return await Promise.race([handler(structuredClone(request)), timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  notify(node: string, request: RemoteRequest): void {
    void LocalBus.handlers.get(node)?.(structuredClone(request));
  }

  async serve(node: string, handler: (request: RemoteRequest) => Promise<RemoteReply>): Promise<void> {
    LocalBus.handlers.set(node, handler);
    this.served.push(node);
  }

  async close(): Promise<void> {
    for (const n of this.served) LocalBus.handlers.delete(n);
  }
}

/** The answer when a request could not reach the owner of a room at all: nothing happened; retry (with the same commandId). */
export function unreachable(node: string): Ack<never> {
  return {
    ok: false,
    error: { code: "UNAVAILABLE", message: `The server holding this room (${node}) is not answering — try again.`, retryAfterMs: 500 },
  };
}

const unanswered = new WeakSet<object>();

/**
 * What a bus resolves when a request was sent but the owner did not answer in time. Unlike a refusal it says
 * nothing about the outcome (the owner may still have the command in its mailbox, and commit it): the router asks
 * again with the same request (same commandId) rather than pass it on as UNAVAILABLE, which promises nothing happened.
 */
export function noAnswer(node: string): Ack<never> {
  const reply = unreachable(node);
  unanswered.add(reply);
  return reply;
}

/** Whether a reply is a bus's {@link noAnswer} (the outcome is unknown), not an answer from the owner. */
export function isNoAnswer(reply: unknown): boolean {
  return typeof reply === "object" && reply !== null && unanswered.has(reply);
}
