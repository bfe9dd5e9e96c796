import type { FeePolicy } from "../../domain/class/state.js";
import type { ResidentStandings } from "../../rooms/residentStandings.js";
import { afterReplies } from "../../rooms/afterReplies.js";
import { keys } from "../../rooms/keys.js";
import type { Logger } from "../logger.js";
import type { RedisClient } from "../redis.js";

/** What changed: some members of a gym, a user in every gym, a gym's fees, or a whole gym (policy, plans). */
type Note = { from: string } & (
  { gymId: string; userIds: string[] } | { userId: string } | { gymId: string; fees: FeePolicy } | { gymId: string }
);

/**
 * Invalidations of resident standings on every node: applied here at once, and published on one
 * Redis channel every node listens to (without Redis this node is the only one). Any code that
 * changes a membership, plan, credits, consents or a member's profile outside a class room's commit
 * calls one of these after its own commit.
 */
export class StandingNotes {
  private sub: RedisClient | null = null;
  /** Members changed per gym since the last publish: one note per gym per event-loop turn, not one per commit. */
  private pending = new Map<string, Set<string>>();
  private flushing = false;
  /** Tells this node's class rooms a gym's new fees (set by the composition root). */
  onFees: ((gymId: string, fees: FeePolicy) => void) | null = null;

  constructor(
    private readonly resident: ResidentStandings,
    private readonly node: string,
    private readonly redis: RedisClient | undefined,
    private readonly log: Logger,
  ) {
    // This node's commits already updated its own copy; other nodes read those members again.
    resident.onChanged = (gymId, userIds) => this.publishMembers(gymId, userIds);
  }

  async start(): Promise<void> {
    if (!this.redis) return;
    const sub = this.redis.duplicate();
    sub.on("error", () => undefined);
    let connected = false;
    // Notes published while the subscriber was away are lost: after a reconnect, forget every gym (each reloads on next use).
    sub.on("ready", () => {
      if (connected) this.resident.clear();
      connected = true;
    });
    await sub.connect();
    this.sub = sub;
    await sub.subscribe(keys.standingNotes, (raw) => {
      try {
        const note = JSON.parse(raw) as Note;
        if (note.from !== this.node) this.apply(note);
      } catch (err) {
        this.log.warn({ err: String(err) }, "unreadable standing note");
      }
    });
  }

  /** A member's role, status, plan, credits or profile changed in one gym. */
  invalidateMember(gymId: string, userId: string): void {
    this.resident.invalidateMember(gymId, userId);
    this.publishMembers(gymId, [userId]);
  }

  /** A user's consents or personal data changed: every gym they belong to. */
  invalidateUser(userId: string): void {
    this.resident.invalidateUser(userId);
    this.publish({ from: this.node, userId });
  }

  /** A gym's policy or plans changed: every member. */
  invalidateGym(gymId: string): void {
    this.resident.invalidateGym(gymId);
    this.publish({ from: this.node, gymId });
  }

  /**
   * A gym's fees or currency changed: every class room of the gym that has not closed, on every node, charges them from
   * now on (docs/domain.md "Settings and their defaults"). Published on the same channel, so in order with the rest.
   */
  feesChanged(gymId: string, fees: FeePolicy): void {
    this.onFees?.(gymId, fees);
    this.publish({ from: this.node, gymId, fees });
  }

  private apply(note: Note): void {
    if ("fees" in note) this.onFees?.(note.gymId, note.fees);
    else if ("userIds" in note) for (const id of note.userIds) this.resident.invalidateMember(note.gymId, id);
    else if ("userId" in note) this.resident.invalidateUser(note.userId);
    else this.resident.invalidateGym(note.gymId);
  }

  /**
   * Gathers member invalidations of this turn (commits of many rooms finish together under load), published on the
   * next, after the answers of this turn's commits (`afterReplies`): no other node's note is what anyone here waits on.
   */
  private publishMembers(gymId: string, userIds: readonly string[]): void {
    if (!this.redis) return;
    let members = this.pending.get(gymId);
    if (!members) this.pending.set(gymId, (members = new Set()));
    for (const id of userIds) members.add(id);
    if (this.flushing) return;
    this.flushing = true;
    afterReplies(() => this.flushing && this.flushMembers());
  }

  private flushMembers(): void {
    this.flushing = false;
    const pending = this.pending;
    this.pending = new Map();
    for (const [gymId, members] of pending) this.publish({ from: this.node, gymId, userIds: [...members] });
  }

  private publish(note: Note): void {
    if (!this.redis) return;
    this.redis.publish(keys.standingNotes, JSON.stringify(note)).catch((err: unknown) => {
      // A lost note leaves a copy stale; the commit guards still refuse what it would oversell.
      this.log.warn({ err: String(err) }, "standing note not published");
    });
  }

  async close(): Promise<void> {
    this.flushMembers();
    await this.sub?.quit().catch(() => undefined);
    this.sub = null;
  }
}
