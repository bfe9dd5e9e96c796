/**
 * The async-context gate (server/asyncContextGate.ts): after MikroORM's transactions end, promises stop paying for
 * async hooks, and overlapping runs still see their own store. "Hooks on" is read through the public API: with
 * Node's promise hooks on, a promise continuation runs under a non-zero `executionAsyncId()`; with them off, 0.
 */
import { AsyncLocalStorage, executionAsyncId } from "node:async_hooks";
import { describe, expect, it } from "vitest";
import { GymEntity } from "../../server/db/entities/index.js";
import { gateAsyncContexts } from "../../server/asyncContextGate.js";
import { withMigratedGym } from "../support/migratedGym.js";
import { postgresOrPglite } from "../support/services.js";

const pg = await postgresOrPglite();

/** The async id a promise continuation runs under (0 when no promise hook is on). */
const continuationId = () => new Promise<number>((resolve) => void Promise.resolve().then(() => resolve(executionAsyncId())));

describe("the async-context gate", () => {
  const t = withMigratedGym(pg, { capacity: 5, members: 1 });

  it("turns the promise hooks off once MikroORM's transactions have ended", async () => {
    gateAsyncContexts();
    const gymId = t.gym.gymId;
    let inside = 0;
    const name = await t.db.orm.em.fork().transactional(async (tx) => {
      inside = await continuationId();
      return (await tx.findOneOrFail(GymEntity, { id: gymId })).name;
    });
    expect(name).toBeTruthy();
    expect(inside).toBeGreaterThan(0);
    expect(await continuationId()).toBe(0);
  });

  it("keeps a run's store while another run that started earlier ends first", async () => {
    gateAsyncContexts();
    const als = new AsyncLocalStorage<string>();
    let releaseA!: () => void;
    let releaseB!: () => void;
    const a = als.run("a", async () => {
      await new Promise<void>((r) => (releaseA = r));
      return als.getStore();
    });
    const b = als.run("b", async () => {
      await new Promise<void>((r) => (releaseB = r));
      await Promise.resolve();
      return als.getStore();
    });
    releaseA();
    expect(await a).toBe("a");
    releaseB();
    expect(await b).toBe("b");
    expect(await continuationId()).toBe(0);
  });

  it("keeps MikroORM's transaction context in overlapping transactions", async () => {
    gateAsyncContexts();
    const em = t.db.orm.em.fork();
    const names = await Promise.all(
      [0, 1, 2].map((i) =>
        em.fork().transactional(async (tx) => {
          await new Promise((r) => setTimeout(r, 5 * i));
          return (await tx.findOneOrFail(GymEntity, { id: t.gym.gymId })).name;
        }),
      ),
    );
    expect(new Set(names).size).toBe(1);
    expect(await continuationId()).toBe(0);
  });
});
