/**
 * The port through which stores report committed leaderboard changes, and find this node's board cache.
 * Persistence only knows this interface; the socket side (server/realtime/boardChanges.ts) implements it and
 * attaches it per ORM, so adapters never import transport. Without a sink (seeding, tools) changes go nowhere.
 */
import type { MikroORM } from "@mikro-orm/core";
import type { BoardChange, BoardKind } from "../../app/training/boardChanges.js";
import type { BoardCache } from "./boardCache.js";

export type { BoardChange, BoardKind };

/** What persistence tells after a commit, and the read cache it may use: installed by the composition root (see server/realtime/boardChanges.ts). */
export interface BoardSink {
  cache: BoardCache;
  notify: (change: BoardChange) => void;
}

/** Per ORM (its Configuration object, shared by every fork), set once by `createServer`. */
const installed = new WeakMap<object, BoardSink>();

/** Tells caches and watchers about a committed change (no-op without an installed notifier, e.g. in seeding). */
export function boardsChanged(orm: Pick<MikroORM, "em">, change: BoardChange): void {
  if (change.boards.length === 0 && !change.totals?.length && !change.drop?.length) return;
  installed.get(orm.em.config)?.notify(change);
}

/** This node's board cache for `orm`, when live boards are installed. */
export function boardCacheOf(orm: Pick<MikroORM, "em">): BoardCache | undefined {
  return installed.get(orm.em.config)?.cache;
}

/** Installs `sink` for `orm` (every fork shares its Configuration object); returns the detach function. */
export function attachBoardSink(orm: Pick<MikroORM, "config">, sink: BoardSink): () => void {
  installed.set(orm.config, sink);
  return () => installed.delete(orm.config);
}
