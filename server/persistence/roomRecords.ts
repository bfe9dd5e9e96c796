import type { EntityManager } from "@mikro-orm/core";
import type { RoomId } from "../../domain/protocol/envelope.js";
import { StaleOwner, type ProcessedRecord } from "../../rooms/ports.js";
import { ProcessedCommandEntity, RoomFenceEntity } from "../db/entities/index.js";

/**
 * Takes a room over: bumps its fencing token in the database and returns it. Every later commit
 * of the previous owner presents the old token and is refused (see `guardFence`).
 */
export async function acquireFence(em: EntityManager, room: RoomId, nodeId: string, now: number): Promise<number> {
  const rows = await em
    .getConnection()
    .execute<{ fence: string | number }[]>(
      `insert into room_fence (room_id, fence, owner_node, updated_at) values (?, 1, ?, ?)
       on conflict (room_id) do update set fence = room_fence.fence + 1, owner_node = excluded.owner_node, updated_at = excluded.updated_at
       returning fence`,
      [room, nodeId, new Date(now)],
    );
  return Number(rows[0]!.fence);
}

/** Inside a commit's transaction: refuses the whole commit when another owner took the room. */
export async function guardFence(em: EntityManager, room: RoomId, fence: number, now: number): Promise<void> {
  const updated = await em.nativeUpdate(RoomFenceEntity, { roomId: room, fence }, { updatedAt: now });
  if (updated !== 1) throw new StaleOwner(room);
}

/** Commands this room answered within the idempotency window. */
export async function loadProcessed(em: EntityManager, room: RoomId, since: number): Promise<ProcessedRecord[]> {
  const rows = await em.find(ProcessedCommandEntity, { room, createdAt: { $gte: since } });
  return rows.map((r) => ({ ...r, room: r.room as RoomId, response: r.response as ProcessedRecord["response"] }));
}

/** Adds the batch's processed commands to the unit of work. */
export function persistProcessed(em: EntityManager, processed: readonly ProcessedRecord[]): void {
  for (const p of processed) em.create(ProcessedCommandEntity, { ...p });
}
