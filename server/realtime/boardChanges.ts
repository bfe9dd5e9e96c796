/**
 * Live gym leaderboards. After a commit that changes a board (attendance, a logged workout's volume, a
 * class result):
 * - every node's cached boards ({@link BoardTotals}) take the members' new totals (O(log n) each) or forgets the board;
 *   other nodes hear it through the Redis adapter (`serverSideEmit`);
 * - sockets watching the gym's boards get `board:changed { gymId, boards }` and ask again. The frame
 *   carries no data (a watcher whose access ended learns nothing), and changes are coalesced per gym over
 *   a short window, so a 7 am check-in rush is one frame a second, not thirty.
 */
import type { Server as IoServer } from "socket.io";
import type { AttachBoardListener, BoardChange, BoardKind, BoardTotals } from "../../app/training/boardChanges.js";
import { keys } from "../../rooms/keys.js";

const RemoteEvent = "spotter:board-change";

/**
 * Listens to committed changes (`attach`, wired by the composition root to persistence) and applies them to `cache`.
 * `clustered`: other nodes share the adapter, so changes are also sent to them. Returns a stop function.
 */
export function installBoardChanges(
  io: IoServer,
  options: { cache: BoardTotals; attach: AttachBoardListener; clustered: boolean; coalesceMs?: number },
): () => void {
  const { cache } = options;
  const waiting = new Map<string, { boards: Set<BoardKind>; timer: ReturnType<typeof setTimeout> }>();
  const absorb = (change: BoardChange) => {
    for (const board of change.drop ?? []) cache.drop(change.gymId, board);
    for (const t of change.totals ?? []) cache.update(change.gymId, t.board, t.updates);
  };
  const tellWatchers = (gymId: string, boards: readonly BoardKind[]) => {
    if (boards.length === 0) return;
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
      }, options.coalesceMs ?? 1_000),
    };
    entry.timer.unref?.();
    waiting.set(gymId, entry);
  };
  const remote = (change: unknown) => {
    if (typeof change === "object" && change !== null && typeof (change as BoardChange).gymId === "string") absorb(change as BoardChange);
  };
  (io as unknown as { on(ev: string, f: (change: unknown) => void): void }).on(RemoteEvent, remote);
  const detach = options.attach((change) => {
    absorb(change);
    if (options.clustered && (change.totals?.length || change.drop?.length)) io.serverSideEmit(RemoteEvent, change);
    // One node emits to the channel; the adapter reaches watchers on every node.
    tellWatchers(change.gymId, change.boards);
  });
  return () => {
    detach();
    for (const w of waiting.values()) clearTimeout(w.timer);
    waiting.clear();
  };
}
