/** The room runtime and stores of the in-process repro scripts: no sockets, no logging, the server's flush settings. */
import { randomUUID } from "node:crypto";
import type { ClassStore } from "../../../rooms/classPorts.js";
import type { RoomRuntime } from "../../../rooms/ports.js";
import type { ResidentStandings } from "../../../rooms/residentStandings.js";
import { classStore } from "../../../server/persistence/classStore.js";
import { gymStore } from "../../../server/persistence/gymStore.js";
import { userStore } from "../../../server/persistence/userStore.js";

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

type StoreDeps = Parameters<typeof classStore>[0] & Parameters<typeof gymStore>[0] & Parameters<typeof userStore>[0];

/** The real stores over `deps.orm` for an in-process registry, its gyms' members resident in `resident`; `classes` overrides the class store. */
export const offlineStores = (deps: StoreDeps, resident: ResidentStandings, classes: ClassStore = classStore(deps)) => ({
  classes,
  gyms: gymStore(deps, async () => null),
  users: userStore(deps),
  resident: { resident, userOfCode: () => null },
});
