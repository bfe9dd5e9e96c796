/**
 * Forwarded requests learn that their room's owner lost the lease from one directory read per interval, whatever
 * the number of requests waiting (each request polled on its own before: under load, more lease reads than answers).
 */
import { afterEach, describe, expect, it, vi } from "vitest";
import type { RoomId } from "../../domain/protocol/envelope.js";
import { LeaseWatch } from "../../rooms/leaseWatch.js";

const tick = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("LeaseWatch", () => {
  const owners = new Map<RoomId, string>();
  const reads: number[] = [];
  const directory = {
    async ownersOf(rooms: readonly RoomId[]) {
      reads.push(rooms.length);
      return rooms.map((r) => owners.get(r) ?? null);
    },
  };
  let watch: LeaseWatch;
  afterEach(() => watch.close());

  it("checks every watched room in one read per interval, and tells the waiters of a room whose lease moved", async () => {
    watch = new LeaseWatch(directory, 20);
    reads.length = 0;
    const rooms = ["class:a", "class:b", "class:c"] as RoomId[];
    for (const r of rooms) owners.set(r, "node-1");
    const waits = Array.from({ length: 60 }, (_, i) => watch.watch(rooms[i % 3]!, "node-1"));
    let movedB = 0;
    for (const [i, w] of waits.entries()) void w.moved.then(() => (movedB += rooms[i % 3] === "class:b" ? 1 : 0));
    await vi.waitFor(() => expect(reads.length).toBeGreaterThanOrEqual(2), { timeout: 5_000 });
    expect(Math.max(...reads)).toBe(3);
    expect(movedB).toBe(0);
    owners.set("class:b" as RoomId, "node-2");
    await vi.waitFor(() => expect(movedB).toBe(20), { timeout: 5_000 });
    expect(watch.size).toBe(2);
    // Every waiter done: no more reads.
    for (const w of waits) w.release();
    expect(watch.size).toBe(0);
    const after = reads.length;
    await tick(60);
    expect(reads.length).toBe(after);
  });

  it("keeps waiting when the directory cannot be read, and lets everyone go on close", async () => {
    const failing = { ownersOf: async (): Promise<(string | null)[]> => Promise.reject(new Error("redis down")) };
    watch = new LeaseWatch(failing, 10);
    const w = watch.watch("class:x" as RoomId, "node-1");
    let moved = false;
    void w.moved.then(() => (moved = true));
    await tick(50);
    expect(moved).toBe(false);
    watch.close();
    await tick(0);
    expect(moved).toBe(true);
  });
});
