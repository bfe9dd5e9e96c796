/**
 * The notice sender that work inside persistence sends through when no use case hands one in: a room outbox row's
 * training step (a class result's challenge entry held for review). The composition root installs it per ORM
 * (`server/createServer.ts`); without it (seeding, tools) such notices go nowhere.
 */
import type { MikroORM } from "@mikro-orm/core";
import type { NoticeSender } from "../../app/notices/ports.js";

const installed = new WeakMap<object, NoticeSender>();

/** The sender installed for `orm`, if any. */
export function noticeSenderOf(orm: Pick<MikroORM, "config">): NoticeSender | undefined {
  return installed.get(orm.config);
}

/** Installs `sender` for `orm` (every fork shares its Configuration object); returns the detach function. */
export function attachNoticeSender(orm: Pick<MikroORM, "config">, sender: NoticeSender): () => void {
  installed.set(orm.config, sender);
  return () => installed.delete(orm.config);
}
