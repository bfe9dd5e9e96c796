/**
 * What the front desk keeps on the device (IndexedDB, issue 21): the snapshot it decides from while offline, the
 * queue of check-ins decided offline (in order, until the server answers each), and the "needs attention" list.
 * It survives a reload, a browser crash and a kiosk reboot; signing the desk out wipes it.
 */
import { openDB, type DBSchema, type IDBPDatabase } from "idb";
import type { DeskSnapshot } from "../../domain/checkin/deskSnapshot.js";
import type { AttentionItem, QueuedCheckIn } from "../../domain/checkin/offlineQueue.js";
import type { StaffMe } from "./types.js";

const DB_NAME = "spotter-desk";

interface DeskDb extends DBSchema {
  snapshot: { key: string; value: DeskSnapshot };
  queue: { key: number; value: QueuedCheckIn & { seq?: number } };
  attention: { key: string; value: AttentionItem };
  /** Who the desk was signed in as, to open the desk offline after a reload (no token: that stays in memory). */
  meta: { key: string; value: StaffMe };
}

const openDesk = () =>
  openDB<DeskDb>(DB_NAME, 1, {
    upgrade(d) {
      d.createObjectStore("snapshot");
      // Keyed by an increasing number: the order the desk decided in is the order they are sent in.
      d.createObjectStore("queue", { keyPath: "seq", autoIncrement: true });
      d.createObjectStore("attention", { keyPath: "commandId" });
      d.createObjectStore("meta");
    },
  });

/** The desk's device storage for one gym. */
export class DeskDevice {
  private constructor(
    private readonly db: IDBPDatabase<DeskDb>,
    readonly gymId: string,
  ) {}

  static async open(gymId: string): Promise<DeskDevice> {
    return new DeskDevice(await openDesk(), gymId);
  }

  /** The desk's staff member and gym, as last seen online. */
  static async savedDesk(): Promise<StaffMe | undefined> {
    const db = await openDesk();
    try {
      return await db.get("meta", "desk");
    } finally {
      db.close();
    }
  }

  async saveDesk(me: StaffMe): Promise<void> {
    await this.db.put("meta", me, "desk");
  }

  snapshot(): Promise<DeskSnapshot | undefined> {
    return this.db.get("snapshot", this.gymId);
  }

  async saveSnapshot(s: DeskSnapshot): Promise<void> {
    await this.db.put("snapshot", s, this.gymId);
  }

  async enqueue(q: QueuedCheckIn): Promise<void> {
    await this.db.add("queue", { ...q });
  }

  /** The queue in the order it was decided. */
  async queued(): Promise<(QueuedCheckIn & { seq: number })[]> {
    return (await this.db.getAll("queue")) as (QueuedCheckIn & { seq: number })[];
  }

  /** The server answered it (agreed, or it went to needs attention in the same transaction). */
  async answered(seq: number, attention?: AttentionItem): Promise<void> {
    const tx = this.db.transaction(["queue", "attention"], "readwrite");
    await Promise.all([tx.objectStore("queue").delete(seq), attention ? tx.objectStore("attention").put(attention) : undefined, tx.done]);
  }

  attention(): Promise<AttentionItem[]> {
    return this.db.getAll("attention");
  }

  /** Staff looked at it. */
  async dismiss(commandId: string): Promise<void> {
    await this.db.delete("attention", commandId);
  }

  close(): void {
    this.db.close();
  }

  /**
   * Removes every member's data from the device (desk signed out, staff access revoked). Check-ins still queued go
   * too: the desk says how many before it signs out.
   */
  static async wipe(): Promise<void> {
    const db = await openDesk();
    const tx = db.transaction(["snapshot", "queue", "attention", "meta"], "readwrite");
    await Promise.all(["snapshot", "queue", "attention", "meta"].map((n) => tx.objectStore(n as "meta").clear()).concat(tx.done));
    db.close();
  }
}
