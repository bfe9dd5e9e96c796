import type { ReactiveController, ReactiveControllerHost } from "lit";
import type { SpotterClient } from "../../domain/client/index.js";
import { admits, type DeskVerdict } from "../../domain/checkin/deskDecision.js";
import { decideFromSnapshot, withProvisional, type DeskSnapshot } from "../../domain/checkin/deskSnapshot.js";
import { staffDenialMessage } from "../../domain/checkin/denials.js";
import { deskBanner, queuedPayload, settle, type AttentionItem, type QueueStatus } from "../../domain/checkin/offlineQueue.js";
import { applyDeskChanges, cursorOf, DeskCursorAtStart, type DeskChange, type DeskCursor } from "../../domain/checkin/deskChanges.js";
import type { StaffGymView } from "../../domain/views/gymView.js";
import type { RoomId } from "../../domain/protocol/envelope.js";
import { DeskDevice } from "./deskDevice.js";
import { verifyCodeOffline } from "./deskCodes.js";
import type { DeskOutcome } from "./desk-result.js";
import type { StaffMe } from "./types.js";

/**
 * The safety net: the whole snapshot is fetched again this often (and on every reconnect), for what the gym room's
 * desk changes do not carry — a plan renamed, a member who joined through a path that tells no gym room. Every
 * other change (bookings, check-ins, freezes, status changes) is patched in from the live deltas as it happens.
 */
const REFRESH_EVERY_MS = 15 * 60_000;

/**
 * The front desk's offline half (issue 21): keeps the snapshot fresh while connected, decides check-ins on the
 * device with the server's own desk function while offline (provisional), queues them in IndexedDB, and sends the
 * queue in order when the connection is back — each with its command id, so a resend is never applied twice.
 */
export class OfflineDesk implements ReactiveController {
  status: QueueStatus = { online: true, waiting: 0, sending: false, sent: 0, attention: 0 };
  attention: AttentionItem[] = [];
  snapshot: DeskSnapshot | null = null;
  private device: DeskDevice | null = null;
  private ready: Promise<void> | null = null;
  private stops: (() => void)[] = [];
  /** Where the saved snapshot is in the gym room's desk changes; null until a snapshot is fetched while online. */
  private cursor: DeskCursor | null = null;
  /** The desk changes the live view lists now. */
  private listed: readonly DeskChange[] = [];
  private refreshing: Promise<void> | null = null;
  private flushing = false;
  private wiped = false;

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly client: SpotterClient,
    private readonly me: StaffMe,
  ) {
    host.addController(this);
  }

  /** What the banner says, or null. */
  get banner(): string | null {
    return deskBanner(this.status);
  }

  hostConnected(): void {
    this.status = { ...this.status, online: this.client.connection.status === "connected" };
    const every = setInterval(() => void this.refresh(), REFRESH_EVERY_MS);
    this.stops.push(() => clearInterval(every));
    this.ready = this.open();
    if (this.status.online) void this.whenBack();
    this.stops.push(
      this.client.onConnection((c) => {
        const online = c.status === "connected";
        if (online === this.status.online) return;
        // Back online: the count of what is sent starts again; going offline keeps the attention list.
        this.status = { ...this.status, online, sent: online ? this.status.sent : 0 };
        this.host.requestUpdate();
        if (online) void this.whenBack();
      }),
    );
  }

  hostDisconnected(): void {
    for (const stop of this.stops.splice(0)) stop();
    this.device?.close();
    this.device = null;
  }

  /**
   * A live delta arrived: the saved snapshot is patched with the desk changes it lists (never more than one delta
   * stale when the line drops). Only a gap — missed changes, a restarted room, a member or class it lacks — fetches
   * the whole snapshot again.
   */
  deltaArrived(view: Pick<StaffGymView, "desk">): void {
    this.listed = Object.values(view.desk ?? {});
    if (!this.status.online || this.refreshing || !this.snapshot || !this.device) return;
    const patched = applyDeskChanges(this.snapshot, this.cursor, this.listed);
    this.cursor = patched.cursor;
    if (patched.refetch) void this.refresh();
    else if (patched.snapshot !== this.snapshot) void this.keep(patched.snapshot);
  }

  private async keep(snapshot: DeskSnapshot): Promise<void> {
    this.snapshot = snapshot;
    this.host.requestUpdate();
    await this.device?.saveSnapshot(snapshot);
  }

  /** Decides a check-in on the device (offline), queues it, and says what to show — marked provisional. */
  async decideOffline(
    who: { memberId: string; name: string } | { code: string },
    now = Date.now(),
    commandId: string = crypto.randomUUID(),
  ): Promise<DeskOutcome> {
    await this.ready;
    const s = this.snapshot;
    if (!this.device || !s)
      return { kind: "error", message: "This desk has no saved member list yet — check in on paper until the connection is back." };
    const memberId = "memberId" in who ? who.memberId : await verifyCodeOffline(who.code, s.keys, s.takenAt, now);
    const member = memberId ? s.members.find((m) => m.memberId === memberId) : undefined;
    const verdict = decideFromSnapshot(s, member?.memberId ?? null, false, now);
    const name = member?.name ?? ("name" in who ? who.name : "Unknown code");
    await this.device.enqueue({
      commandId,
      memberId: member?.memberId ?? null,
      code: member ? null : "code" in who ? who.code : null,
      name,
      openGym: false,
      deviceAt: now,
      lastSyncAt: s.takenAt,
      verdict,
    });
    if (member) {
      this.snapshot = withProvisional(s, member.memberId, verdict, now);
      await this.device.saveSnapshot(this.snapshot);
    }
    await this.count();
    return describe(verdict, name, member?.frozenUntil ?? null);
  }

  /** Forgets every member's data on this device (staff access revoked); the desk decides nothing offline after it. */
  async wipe(): Promise<void> {
    if (this.wiped) return;
    this.wiped = true;
    this.snapshot = null;
    this.device?.close();
    this.device = null;
    await DeskDevice.wipe();
    this.attention = [];
    this.status = { ...this.status, waiting: 0, attention: 0 };
    this.host.requestUpdate();
  }

  /** Staff looked at an attention item. */
  async dismiss(commandId: string): Promise<void> {
    await this.device?.dismiss(commandId);
    await this.count();
  }

  private async open(): Promise<void> {
    this.device = await DeskDevice.open(this.gymId);
    this.snapshot = (await this.device.snapshot()) ?? null;
    await this.count();
  }

  private async whenBack(): Promise<void> {
    await this.ready;
    await this.device?.saveDesk(this.me);
    await this.flush();
    await this.refresh();
  }

  private refresh(): Promise<void> {
    this.refreshing ??= this.fetchSnapshot().finally(() => (this.refreshing = null));
    return this.refreshing;
  }

  private async fetchSnapshot(): Promise<void> {
    if (!this.device || !this.status.online || this.wiped) return;
    // Changes listed before the request are in the snapshot; those listed while it travels are applied on top.
    const base = cursorOf(this.listed) ?? DeskCursorAtStart;
    const ack = await this.client.command<DeskSnapshot>(this.room, "gym:deskSnapshot", {});
    if (!ack.ok || !this.device) return;
    // Check-ins still queued were decided against the older snapshot; they are sent before it is replaced.
    const patched = applyDeskChanges(ack.result, base, this.listed);
    this.cursor = patched.cursor ?? base;
    await this.keep(patched.snapshot);
  }

  /** Sends the queue in order, one at a time; stops at the first answer that says "try later". */
  private async flush(): Promise<void> {
    if (this.flushing || !this.device) return;
    this.flushing = true;
    try {
      for (const q of await this.device.queued()) {
        if (!this.status.online) break;
        this.status = { ...this.status, sending: true };
        this.host.requestUpdate();
        const answer = await this.client.command<{ status: string; reason?: string; needsAttention?: boolean }>(
          this.room,
          "gym:checkIn",
          queuedPayload(q),
          { commandId: q.commandId },
        );
        const outcome = settle(q, answer, (reason) => staffDenialMessage(reason) ?? "Not checked in");
        if (outcome.kind === "retry") break;
        await this.device.answered(q.seq, outcome.kind === "attention" ? outcome.item : undefined);
        this.status = { ...this.status, sent: this.status.sent + 1 };
        await this.count();
      }
    } finally {
      this.flushing = false;
      this.status = { ...this.status, sending: false };
      this.host.requestUpdate();
    }
  }

  private async count(): Promise<void> {
    if (!this.device) return;
    const [queued, attention] = await Promise.all([this.device.queued(), this.device.attention()]);
    this.attention = attention.sort((a, b) => a.deviceAt - b.deviceAt);
    this.status = { ...this.status, waiting: queued.length, attention: attention.length };
    this.host.requestUpdate();
  }

  private get gymId(): string {
    return this.me.gymId;
  }

  private get room(): RoomId {
    return `gym:${this.gymId}` as RoomId;
  }
}

/** What the desk shows for a verdict decided on the device. */
function describe(v: DeskVerdict, name: string, frozenUntil: string | null): DeskOutcome {
  if (v.verdict === "denied")
    return { kind: "denied", name, reason: staffDenialMessage(v.reason, frozenUntil) ?? v.reason, provisional: true };
  const detail = "className" in v ? `Class: ${v.className}` : "Open gym";
  return admits(v) && (v.verdict === "class" || v.verdict === "open_gym")
    ? { kind: "accepted", name, detail, provisional: true }
    : { kind: "already", name, detail, provisional: true };
}
