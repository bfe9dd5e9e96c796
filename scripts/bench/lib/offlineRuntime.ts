/** The room runtime of the in-process repro scripts: no sockets, no logging, the server's flush settings. */
import { randomUUID } from "node:crypto";
import type { RoomRuntime } from "../../../rooms/ports.js";

export const offlineRuntime = (overrides: Partial<Omit<RoomRuntime, "tell">> = {}): Omit<RoomRuntime, "tell"> => ({
  now: Date.now,
  newId: randomUUID,
  log: { info: () => undefined, warn: console.warn, error: console.error } as never,
  broadcaster: { delta: () => undefined, reset: () => undefined, revoke: () => undefined },
  flushMaxBatch: 128,
  flushMaxDelayMs: 2,
  ringSize: 256,
  idempotencyWindowMs: 86_400_000,
  onFlush: () => undefined,
  onFlushFailure: () => undefined,
  ...overrides,
});
