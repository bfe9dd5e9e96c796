/** A room runtime for actor tests without a server: a clock of the test's choosing, silent logs, no broadcasting. */
import type { RoomRuntime } from "../../rooms/ports.js";
import { sequentialIds } from "./domainBuilders.js";

/** One turn of the event loop: a room's watcher deltas (staff, public) are sent on the turn after its commit (`RoomViews`). */
export const nextTurn = (): Promise<void> => new Promise((r) => setImmediate(r));

/** Commits at once (no group-commit wait); `now` is read on every call, so a test may move its clock. */
export function testRuntime(now: () => number, newId: () => string = sequentialIds("rt")): RoomRuntime {
  return {
    now,
    newId,
    log: { info() {}, warn() {}, error() {} },
    broadcaster: { delta() {}, reset() {}, revoke() {} },
    tell() {},
    flushMaxBatch: 64,
    flushMaxDelayMs: 0,
    ringSize: 16,
    idempotencyWindowMs: 60_000,
    onFlush() {},
    onFlushFailure() {},
  };
}
