/**
 * Live gym leaderboards: after a commit that changes a board (attendance, a logged workout's volume, a
 * class result), sockets watching the gym's boards get `board:changed { gymId, boards }` and ask again.
 * The frame carries no data (a watcher whose access ended learns nothing), and changes are coalesced per
 * gym over a short window so a 7 am check-in rush is one frame a second, not thirty. The Redis adapter
 * carries the emit to watchers on every node.
 */
import type { MikroORM } from "@mikro-orm/core";
import type { Server as IoServer } from "socket.io";
import { keys } from "../../rooms/keys.js";

export type BoardKind = "attendance" | "volume" | "benchmark";
type Notify = (gymId: string, boards: readonly BoardKind[]) => void;

/** The notifier per ORM (its Configuration object, shared by every fork), set once by `createServer`. */
const notifiers = new WeakMap<object, Notify>();

/** Tells the gym's board watchers (if a notifier is installed for this ORM); call only after the change committed. */
export function boardsChanged(orm: Pick<MikroORM, "em">, gymId: string, boards: readonly BoardKind[]): void {
  if (boards.length > 0) notifiers.get(orm.em.config)?.(gymId, boards);
}

/** Installs the emitter for `orm`; returns a stop function that flushes nothing further. */
export function installBoardChanges(orm: MikroORM, io: IoServer, coalesceMs = 1_000): () => void {
  const waiting = new Map<string, { boards: Set<BoardKind>; timer: ReturnType<typeof setTimeout> }>();
  notifiers.set(orm.config, (gymId, boards) => {
    const open = waiting.get(gymId);
    if (open) {
      for (const b of boards) open.boards.add(b);
      return;
    }
    const entry = {
      boards: new Set(boards),
      timer: setTimeout(() => {
        waiting.delete(gymId);
        io.to(keys.boardChannel(gymId)).emit("board:changed", { gymId, boards: [...entry.boards].sort() });
      }, coalesceMs),
    };
    entry.timer.unref?.();
    waiting.set(gymId, entry);
  });
  return () => {
    notifiers.delete(orm.config);
    for (const w of waiting.values()) clearTimeout(w.timer);
    waiting.clear();
  };
}
