import type { ReactiveController, ReactiveControllerHost } from "lit";
import { afterEach, describe, expect, it, vi } from "vitest";
import { SpotterClient } from "../../../domain/client/index.js";
import { RoomController } from "../../../web/shared/RoomController.js";
import { ToastService } from "../../../web/shared/toasts.js";
import { FakeSocket } from "../../domain/client/fakeSocket.js";

const ROOM = "class:11111111-1111-4111-8111-111111111111";
const OTHER = "class:22222222-2222-4222-8222-222222222222";

/** A Lit host stand-in: records controllers and counts update requests. */
class FakeHost implements ReactiveControllerHost {
  controllers: ReactiveController[] = [];
  updates = 0;
  addController(c: ReactiveController): void {
    this.controllers.push(c);
  }
  removeController(): void {}
  requestUpdate(): void {
    this.updates += 1;
  }
  get updateComplete(): Promise<boolean> {
    return Promise.resolve(true);
  }
  connect(): void {
    for (const c of this.controllers) c.hostConnected?.();
  }
  disconnect(): void {
    for (const c of this.controllers) c.hostDisconnected?.();
  }
}

function setup(room: string | null = ROOM) {
  const socket = new FakeSocket();
  const client = new SpotterClient(socket);
  const host = new FakeHost();
  const ctl = new RoomController<{ n: number }>(host, client, room as never);
  return { socket, client, host, ctl };
}

describe("RoomController", () => {
  it("watches only while the host is connected, and leaves when it is removed", () => {
    const { socket, host, ctl } = setup();
    expect(socket.emitted("room:join")).toHaveLength(0);
    host.connect();
    expect(socket.last("room:join").payload).toEqual({ room: ROOM });
    socket.last("room:join").ack!({ ok: true, result: { room: ROOM, audience: "staff", seq: 1, snapshot: { n: 1 } } });
    expect(ctl.view).toEqual({ n: 1 });
    expect(ctl.canAct).toBe(true);
    host.disconnect();
    expect(socket.last("room:leave").payload).toEqual({ room: ROOM });
  });

  it("re-renders the host on deltas and disables actions while offline", () => {
    const { socket, host, ctl } = setup();
    host.connect();
    socket.last("room:join").ack!({ ok: true, result: { room: ROOM, audience: "staff", seq: 1, snapshot: { n: 1 } } });
    const before = host.updates;
    socket.serverEmit("room:delta", { room: ROOM, seq: 2, ops: [{ op: "set", path: ["n"], value: 2 }] });
    expect(ctl.view).toEqual({ n: 2 });
    expect(host.updates).toBeGreaterThan(before);
    socket.drop();
    expect(ctl.online).toBe(false);
    expect(ctl.canAct).toBe(false);
    expect(ctl.view).toEqual({ n: 2 });
  });

  it("switches rooms when `room` changes", () => {
    const { socket, host, ctl } = setup();
    host.connect();
    ctl.room = OTHER;
    expect(socket.last("room:leave").payload).toEqual({ room: ROOM });
    expect(socket.last("room:join").payload).toEqual({ room: OTHER });
    expect(ctl.state?.room).toBe(OTHER);
  });

  it("sends commands to its room", async () => {
    const { socket, host, ctl } = setup();
    host.connect();
    const answer = ctl.command("class:setCapacity", { sessionId: "s", capacity: 3 });
    expect(socket.last("command").payload).toMatchObject({
      room: ROOM,
      type: "class:setCapacity",
      payload: { sessionId: "s", capacity: 3 },
    });
    socket.last("command").ack!({ ok: true, result: null });
    await expect(answer).resolves.toEqual({ ok: true, result: null });
  });
});

describe("ToastService", () => {
  afterEach(() => vi.useRealTimers());

  it("prefers the server's words, falls back to the code's default, and fades successes", () => {
    vi.useFakeTimers();
    const toasts = new ToastService();
    const seen: string[][] = [];
    toasts.subscribe((list) => seen.push(list.map((t) => `${t.kind}: ${t.message}`)));
    expect(toasts.fromAck({ ok: false, error: { code: "CLASS_FULL", message: "Strength at 07:00 is full." } })).toBe(false);
    expect(toasts.current.map((t) => t.message)).toEqual(["Strength at 07:00 is full."]);
    toasts.error({ code: "NO_CREDITS", message: "" });
    expect(toasts.current.map((t) => t.message)).toEqual(["No class credits left — buy a new pack at the front desk or in the app."]);
    expect(toasts.fromAck({ ok: true, result: 1 }, "Booked.")).toBe(true);
    expect(toasts.current.map((t) => t.message)).toEqual(["Booked."]);
    vi.advanceTimersByTime(4_000);
    expect(toasts.current).toEqual([]);
    expect(seen.length).toBeGreaterThan(3);
  });

  it("shows at most one message: the newest replaces the others, so toasts never pile up over a phone's buttons (issue 19 item 7)", () => {
    vi.useFakeTimers();
    const toasts = new ToastService();
    for (const n of [1, 2, 3, 4]) toasts.success(`Checked in member ${n}.`);
    toasts.error("Check-in opens 17:15.");
    expect(toasts.current.map((t) => t.message)).toEqual(["Check-in opens 17:15."]);
    // A replaced message's timer does not take the newer one away.
    vi.advanceTimersByTime(4_000);
    expect(toasts.current.map((t) => t.message)).toEqual(["Check-in opens 17:15."]);
  });
});
