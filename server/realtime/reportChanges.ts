/**
 * Live owner reports: after a visit of a gym commits (a check-in at the desk or in class, or one taken back), sockets
 * watching the gym's report (`gym:ownerReport { watch: true }`, owners and admins) get `report:changed { gymId }` and
 * ask again — the at-risk list drops whoever just came. The frame carries no data, and it is coalesced per gym over a
 * window, so a morning rush is one frame per window, not one per check-in. One node emits; the adapter reaches the
 * watchers on every node.
 */
import type { Server as IoServer } from "socket.io";
import { keys } from "../../rooms/keys.js";

/** `visit(gymId)` after a committed visit; `stop()` drops the frames still waiting. */
export function reportChanges(io: IoServer, coalesceMs = 2_000): { visit(gymId: string): void; stop(): void } {
  const waiting = new Map<string, ReturnType<typeof setTimeout>>();
  return {
    visit(gymId) {
      if (waiting.has(gymId)) return;
      const timer = setTimeout(() => {
        waiting.delete(gymId);
        io.to(keys.reportChannel(gymId)).emit("report:changed", { gymId });
      }, coalesceMs);
      timer.unref?.();
      waiting.set(gymId, timer);
    },
    stop() {
      for (const t of waiting.values()) clearTimeout(t);
      waiting.clear();
    },
  };
}
