/**
 * On uWS a room broadcast is published once through a uWS topic and only sockets on HTTP long-polling are
 * written one by one. Regression (fan-out at 10,000 watchers): Socket.IO's own publish walked every socket of
 * the room in JavaScript for each delta (`Adapter.apply`, the largest single cost in the fan-out profile).
 * Watchers on websocket, on long-polling and upgraded from long-polling must all still get every delta.
 */
import { io, type Socket } from "socket.io-client";
import { Adapter, type BroadcastOptions } from "socket.io-adapter";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { Ack, RoomDelta } from "../../../domain/protocol/envelope.js";
import { signToken } from "../../../server/auth.js";
import { aGym, type GymFixture } from "../../support/gymFixture.js";
import { startTestServer, type TestServer } from "../../support/services.js";
import { eventually, suiteSockets } from "../../support/sockets.js";

describe("room broadcasts on the uWS transport", () => {
  let t: TestServer;
  let gym: GymFixture;
  const sockets = suiteSockets(() => t.server);
  const raw: Socket[] = [];

  beforeAll(async () => {
    t = await startTestServer({ TRANSPORT: "uws", COMMANDS_PER_SECOND: "1000" });
    gym = await aGym(t.server.db.orm, { capacity: 5, members: 3 });
  }, 120_000);
  afterAll(async () => {
    sockets.closeAll();
    for (const s of raw) s.close();
    await t?.cleanup();
  });

  /** A staff client on `transports`, recording its deltas. */
  async function staffOn(userId: string, transports: ("polling" | "websocket")[], upgrade: boolean) {
    const token = await signToken(t.server.jwtSecret!, userId, 3600);
    const socket = io(t.server.url, { auth: { token }, transports, upgrade, reconnection: false, forceNew: true });
    raw.push(socket);
    const deltas: RoomDelta[] = [];
    socket.on("room:delta", (d: RoomDelta) => deltas.push(d));
    await new Promise<void>((resolve, reject) => {
      socket.once("connect", resolve);
      socket.once("connect_error", reject);
    });
    return { socket, deltas };
  }

  it("delivers every delta to websocket, long-polling and upgraded watchers without walking the room's sockets", async () => {
    expect(t.server.transport).toBe("uws");
    const room = `class:${gym.sessionId}`;
    const ws = await sockets.connect(gym.ownerId);
    const polling = await staffOn(gym.coachId, ["polling"], false);
    const upgraded = await staffOn(gym.deskId, ["polling", "websocket"], true);
    await eventually(() => expect(upgraded.socket.io.engine.transport.name).toBe("websocket"));
    expect(polling.socket.io.engine.transport.name).toBe("polling");
    expect((await ws.join(room)).ok).toBe(true);
    for (const c of [polling, upgraded])
      expect(((await c.socket.timeout(20_000).emitWithAck("room:join", { room })) as Ack<unknown>).ok).toBe(true);

    // `apply` is private in the typings; Socket.IO's publish calls it once per broadcast to walk the room.
    const walked = vi.spyOn(Adapter.prototype as unknown as { apply(opts: BroadcastOptions, each: unknown): void }, "apply");
    try {
      for (const m of gym.members) {
        const ack = (await ws.command(room, "class:book", { sessionId: gym.sessionId, memberId: m.id })) as Ack<unknown>;
        expect(ack.ok).toBe(true);
      }
      const staffDeltas = () => ws.deltas.filter((d) => d.room === room);
      await eventually(() => {
        expect(staffDeltas().length).toBeGreaterThanOrEqual(gym.members.length);
        expect(polling.deltas).toEqual(staffDeltas());
        expect(upgraded.deltas).toEqual(staffDeltas());
      });
      const roomWalks = walked.mock.calls.filter(([opts]) => [...opts.rooms].some((r) => String(r).startsWith(room)));
      expect(roomWalks).toEqual([]);
    } finally {
      walked.mockRestore();
    }
  });
});
