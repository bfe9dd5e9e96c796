/**
 * A freeze ends by itself (docs/domain.md "Freezes"): once a gym's local date passes a freeze's last day, the
 * membership is active again — the same change as `gym:unfreezeMember`, made by Spotter (a system audit row per
 * member, the member told, every node's live rooms told). Safe with several runners: a gym is held by one runner at
 * a time, and each freeze ends in a conditional update, so it ends once however many runners race.
 */
import { FreezeEndedNotice } from "../../domain/admin/members.js";
import { localDate } from "../../domain/schedule/timeZone.js";
import type { NoticeSender, NoticeTransaction } from "../notices/ports.js";
import type { AdminAudit, StandingNotifier } from "./ports.js";

/** A freeze that just ended: whose, and its last frozen day. */
export interface EndedFreeze {
  memberId: string;
  frozenUntil: string;
}

/** What a freeze-end pass needs from persistence (`server/persistence/freezeEndStore.ts`). */
export interface FreezeEndStore {
  /** Gyms with a freeze whose last day is before the gym's local date at `now`, at most `limit`. */
  dueGyms(now: number, limit: number): Promise<{ gymId: string; timeZone: string }[]>;
  /**
   * One transaction, unless another runner holds the gym (then null, nothing done): ends the gym's freezes whose last
   * day is before `today` (`status = 'frozen' and frozen_until < today`), runs `within` with them, then writes the
   * audit rows it gave as Spotter's (no actor, role "system").
   */
  endFreezes(
    gymId: string,
    today: string,
    now: number,
    within: (ended: readonly EndedFreeze[], tx: { notices: NoticeTransaction; audit(a: AdminAudit): void }) => Promise<void>,
  ): Promise<EndedFreeze[] | null>;
}

export interface FreezeEndPorts {
  store: FreezeEndStore;
  notes: Pick<StandingNotifier, "memberChanged">;
  notices: NoticeSender;
  /** Told of a gym whose pass failed (its transaction rolled back); the pass goes on with the next gym. */
  gymFailed?: (gymId: string, err: unknown) => void;
}

/** What one pass did: gyms whose freezes ended, members unfrozen, gyms another runner held, gyms that failed. */
export interface FreezeEndPass {
  gyms: number;
  members: number;
  busy: number;
  failed: number;
}

/** Most gyms one pass visits (the next pass takes the rest). */
const GYMS_PER_PASS = 100;

/** Ends every freeze whose last day has passed, gym by gym, as of `now`. */
export async function endDueFreezes(ports: FreezeEndPorts, now: number): Promise<FreezeEndPass> {
  const done: FreezeEndPass = { gyms: 0, members: 0, busy: 0, failed: 0 };
  for (const gym of await ports.store.dueGyms(now, GYMS_PER_PASS)) {
    // One gym's failure stays that gym's: its freezes stay due, the gyms after it are still visited.
    try {
      await endGymFreezes(ports, gym, now, done);
    } catch (err) {
      done.failed += 1;
      ports.gymFailed?.(gym.gymId, err);
    }
  }
  return done;
}

/** One gym's ended freezes in one transaction; what it did added to `done`. */
async function endGymFreezes(
  ports: FreezeEndPorts,
  gym: { gymId: string; timeZone: string },
  now: number,
  done: FreezeEndPass,
): Promise<void> {
  const ended = await ports.store.endFreezes(gym.gymId, localDate(now, gym.timeZone), now, async (rows, tx) => {
    for (const r of rows)
      tx.audit({
        action: "membership.unfrozen",
        entityType: "member",
        entityId: r.memberId,
        before: { status: "frozen", frozenUntil: r.frozenUntil },
        after: { memberId: r.memberId, status: "active", reason: "freeze_ended" },
      });
    if (rows.length > 0)
      await ports.notices.notify(
        rows.map((r) => r.memberId),
        { kind: "membership", text: FreezeEndedNotice, gymId: gym.gymId },
        tx.notices,
      );
  });
  if (ended === null) done.busy += 1;
  else if (ended.length > 0) {
    done.gyms += 1;
    done.members += ended.length;
    // The same path as a staff unfreeze: every node's resident copy, and the gym room's desks, at once.
    for (const r of ended) ports.notes.memberChanged(gym.gymId, r.memberId);
  }
}
