/**
 * The port through which lead writes (the pipeline requests, a trial's check-in inside a class commit) report a
 * committed change. The socket side installs it per ORM (`server/createServer.ts`: `leads:changed` to the gym's
 * pipeline watchers, on every node through the adapter); without it (seeding, tools) changes go nowhere.
 */
import type { MikroORM } from "@mikro-orm/core";

const installed = new WeakMap<object, (gymId: string) => void>();

/** Tells the gym's pipeline watchers that a lead changed (after the commit). */
export function leadsChanged(orm: Pick<MikroORM, "em">, gymId: string): void {
  installed.get(orm.em.config)?.(gymId);
}

/** Installs `notify` for `orm` (every fork shares its Configuration object); returns the detach function. */
export function attachLeadSink(orm: Pick<MikroORM, "config">, notify: (gymId: string) => void): () => void {
  installed.set(orm.config, notify);
  return () => installed.delete(orm.config);
}
