import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import type { RoomId } from "../../domain/protocol/envelope.js";
import type { UserView } from "../../domain/views/userView.js";
import { LocalBus, type Claim, type NodeBus, type RemoteRequest, type RoomDirectory } from "../../rooms/coordination.js";
import type { RoomMessage } from "../../rooms/ports.js";
import { RoomRegistry } from "../../rooms/RoomRegistry.js";
import { RoomRouter } from "../../rooms/RoomRouter.js";
import { testRuntime } from "../support/roomRuntime.js";

/** Leases with expiry on a clock the test moves (the semantics of RedisDirectory, without Redis). */
class ClockDirectory implements RoomDirectory {
  readonly leaseMs = 1_000;
  readonly leases = new Map<RoomId, { node: string; until: number }>();
  constructor(private readonly clock: { now: number }) {}

  private holder(room: RoomId): string | null {
    const l = this.leases.get(room);
    return l && l.until > this.clock.now ? l.node : null;
  }
  async claim(room: RoomId, node: string): Promise<Claim> {
    const holder = this.holder(room);
    if (holder) return { owner: holder, handedOver: false };
    this.leases.set(room, { node, until: this.clock.now + this.leaseMs });
    return { owner: node, handedOver: false };
  }
  async owner(room: RoomId): Promise<string | null> {
    return this.holder(room);
  }
  async ownersOf(rooms: readonly RoomId[]): Promise<(string | null)[]> {
    return rooms.map((r) => this.holder(r));
  }
  async renew(rooms: readonly RoomId[], node: string): Promise<RoomId[]> {
    const lost: RoomId[] = [];
    for (const r of rooms) {
      const holder = this.holder(r);
      if (holder === null || holder === node) this.leases.set(r, { node, until: this.clock.now + this.leaseMs });
      else lost.push(r);
    }
    return lost;
  }
  async release(room: RoomId, node: string): Promise<void> {
    if (this.holder(room) === node) this.leases.delete(room);
  }
}

function setup(node: string, clock: { now: number }, directory: RoomDirectory, bus: NodeBus = new LocalBus()) {
  const loads: string[] = [];
  const registry = new RoomRegistry(
    testRuntime(() => clock.now, randomUUID),
    {
      classes: { loadClass: async () => null, loadMembers: async () => new Map(), commitClass: async () => {} },
      gyms: undefined as never,
      users: {
        loadUser: async (room): Promise<{ state: UserView; fence: number; processed: [] }> => {
          loads.push(room);
          return { state: { bookings: {}, waitlist: {}, notices: {}, unread: 0 }, fence: 0, processed: [] };
        },
        markRead: async () => {},
        pageInbox: async () => [],
        unreadAmong: async () => 0,
      },
    },
    3_600_000,
  );
  // Not started: no renewal timer runs — exactly a node whose event loop was too busy to renew in time.
  const router = new RoomRouter({
    node,
    directory,
    bus,
    registry,
    log: { info() {}, warn() {}, error() {} },
    now: () => clock.now,
    requestTimeoutMs: 1_000,
    hint: { hint: `hint-${node}` },
  });
  return { registry, router, loads };
}

const note = (): RoomMessage => ({ kind: "note", note: { type: "warm" } });

describe("room leases at the router", () => {
  it("keeps serving its own room when the renewal ran late and nobody else took the lease", async () => {
    const clock = { now: 1_000_000 };
    const directory = new ClockDirectory(clock);
    const { registry, router, loads } = setup("a", clock, directory);
    const room = `user:${randomUUID()}` as RoomId;
    expect(await router.send(room, note())).toEqual({ ok: true, result: null });
    const actor = registry.peek(room);
    clock.now += 5 * directory.leaseMs; // the lease ran out long ago
    expect(await router.send(room, note())).toEqual({ ok: true, result: null });
    expect(registry.peek(room)).toBe(actor); // same actor, not dropped and reloaded
    expect(loads).toEqual([room]);
    expect(await directory.owner(room)).toBe("a");
    await registry.close();
  });

  it("stops its actor and routes to the new owner when another node took the lease", async () => {
    const clock = { now: 1_000_000 };
    const directory = new ClockDirectory(clock);
    const a = setup("node-a-" + randomUUID(), clock, directory);
    const room = `user:${randomUUID()}` as RoomId;
    await a.router.send(room, note());
    clock.now += 5 * directory.leaseMs;
    await directory.claim(room, "node-b"); // node-b is not serving: the forward is refused, not hung
    const answer = await a.router.send(room, note());
    expect(answer.ok).toBe(false);
    expect(a.registry.peek(room)).toBeUndefined();
    await a.registry.close();
  });
});

/** Counts what a command costs in coordination: directory (Redis) calls and node-to-node requests (not the background lease renewal). */
class Counted {
  directory = 0;
  requests = 0;
  wrap(d: ClockDirectory): RoomDirectory {
    const count = <T>(x: T) => {
      this.directory += 1;
      return x;
    };
    return {
      leaseMs: d.leaseMs,
      claim: (r, n) => count(d.claim(r, n)),
      owner: (r) => count(d.owner(r)),
      ownersOf: (rs) => count(d.ownersOf(rs)),
      renew: (rs, n) => d.renew(rs, n),
      release: (r, n) => d.release(r, n),
    };
  }
  bus(): NodeBus {
    const inner = new LocalBus();
    return {
      request: (node: string, request: RemoteRequest, timeoutMs: number) => {
        this.requests += 1;
        return inner.request(node, request, timeoutMs);
      },
      notify: (node, request) => inner.notify(node, request),
      serve: (node, handler) => inner.serve(node, handler),
      close: () => inner.close(),
    };
  }
  reset(): void {
    this.directory = this.requests = 0;
  }
}

describe("forwarding between three nodes", () => {
  it("pays no coordination round trip on the owner and forwards exactly once from the others", async () => {
    const clock = { now: 1_000_000 };
    const leases = new ClockDirectory(clock);
    const counted = new Counted();
    const nodes = ["a", "b", "c"].map((n) => setup(`fwd-${n}-${randomUUID()}`, clock, counted.wrap(leases), counted.bus()));
    for (const n of nodes) await n.router.start();
    const [a, b, c] = nodes as [(typeof nodes)[number], (typeof nodes)[number], (typeof nodes)[number]];
    const room = `user:${randomUUID()}` as RoomId;
    expect(await a.router.send(room, note())).toEqual({ ok: true, result: null });
    // Each of the others learns the owner once.
    await b.router.send(room, note());
    await c.router.send(room, note());
    counted.reset();
    for (let i = 0; i < 5; i++) expect(await a.router.send(room, note())).toEqual({ ok: true, result: null });
    expect(counted).toMatchObject({ directory: 0, requests: 0 });
    for (let i = 0; i < 5; i++) expect(await b.router.send(room, note())).toEqual({ ok: true, result: null });
    for (let i = 0; i < 5; i++) expect(await c.router.send(room, note())).toEqual({ ok: true, result: null });
    expect(counted).toMatchObject({ directory: 0, requests: 10 });
    expect(a.loads).toEqual([room]);
    for (const n of nodes) await n.router.close();
  });

  it("claims a cold room's lease once for a herd of first commands", async () => {
    const clock = { now: 1_000_000 };
    const leases = new ClockDirectory(clock);
    const counted = new Counted();
    const node = `herd-${randomUUID()}`;
    const a = setup(node, clock, counted.wrap(leases));
    const room = `user:${randomUUID()}` as RoomId;
    const answers = await Promise.all(Array.from({ length: 10 }, () => a.router.send(room, note())));
    expect(answers.every((x) => x.ok)).toBe(true);
    expect(counted.directory).toBe(1);
    expect(a.loads).toEqual([room]);
    expect(await leases.owner(room)).toBe(node);
    await a.registry.close();
  });

  it("answers a join with the owner's hint, also when the join is forwarded", async () => {
    const clock = { now: 1_000_000 };
    const leases = new ClockDirectory(clock);
    const a = setup(`hint-a-${randomUUID()}`, clock, leases);
    const b = setup(`hint-b-${randomUUID()}`, clock, leases);
    await a.router.start();
    await b.router.start();
    const room = `user:${randomUUID()}` as RoomId;
    const local = await a.router.join(room, "owner", undefined, () => undefined);
    const forwarded = await b.router.join(room, "owner", undefined, () => undefined);
    expect(local).toMatchObject({ ok: true, result: { owner: { hint: expect.stringContaining("hint-a-") } } });
    expect(forwarded).toMatchObject({ ok: true, result: { owner: { hint: expect.stringContaining("hint-a-") } } });
    await a.router.close();
    await b.router.close();
  });
});
