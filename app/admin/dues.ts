/**
 * Recurring dues (docs/domain.md "Recurring dues"): once a plan's next billing period starts in the gym's time zone,
 * Spotter opens that period's `dues` charge in the member's account — made by Spotter (a system audit row per period
 * and the member's notice in the charge's commit; the member's own screens and the desk told after it). Safe with several runners: a gym is held by one runner
 * at a time, and each period is claimed in a conditional update of the assignment's `nextDuesOn` in the transaction
 * that opens the charge, so it is opened once however many runners race.
 */
import { duesDescription, duesNoticeText, duesStep, type DuesSubject } from "../../domain/admin/dues.js";
import type { Charge } from "../../domain/admin/charges.js";
import { localDate } from "../../domain/schedule/timeZone.js";
import type { NoticeSender, NoticeTransaction } from "../notices/ports.js";
import type { AdminAudit, StandingNotifier } from "./ports.js";

/** One assignment a pass looks at: the member's current plan assignment with `nextDuesOn` on or before today. */
export interface DuesRow extends DuesSubject {
  assignmentId: string;
  memberId: string;
  planName: string;
  currency: string;
  /** The gym's locale (BCP 47): the member's notice words money and dates in it. */
  locale: string;
}

/** Inside one gym's transaction. */
export interface DuesTx {
  /** Moves the assignment's `nextDuesOn` from `from` to `next`; false when it no longer is `from` (another runner's). */
  advance(assignmentId: string, from: string, next: string | null): Promise<boolean>;
  addCharge(c: Charge): Promise<void>;
  audit(a: AdminAudit): void;
  /** The member's notice joins this transaction: it exists exactly when the charge does. */
  notices: NoticeTransaction;
}

/** What a dues pass needs from persistence (`server/persistence/duesStore.ts`). */
export interface DuesStore {
  /** Gyms with an assignment whose `nextDuesOn` is on or before the gym's local date at `now`, at most `limit`. */
  dueGyms(now: number, limit: number): Promise<{ gymId: string; timeZone: string }[]>;
  /**
   * One transaction, unless another runner holds the gym (then null, nothing done): the gym's assignments with
   * `nextDuesOn <= today` (locked), `within` run with them, then the audit rows it gave written as Spotter's.
   */
  openDues(
    gymId: string,
    today: string,
    now: number,
    within: (rows: readonly DuesRow[], tx: DuesTx) => Promise<void>,
  ): Promise<string[] | null>;
}

export interface DuesPorts {
  store: DuesStore;
  notes: Pick<StandingNotifier, "memberChanged">;
  notices: NoticeSender;
  newId: () => string;
  /** Told of a gym whose pass failed (its transaction rolled back); the pass goes on with the next gym. */
  gymFailed?: (gymId: string, err: unknown) => void;
}

/** What one pass did: gyms with dues opened, charges opened, periods skipped (frozen), gyms another runner held, gyms that failed. */
export interface DuesPass {
  gyms: number;
  opened: number;
  skipped: number;
  busy: number;
  failed: number;
}

/** Most gyms one pass visits (the next pass takes the rest). */
const GYMS_PER_PASS = 100;

/** Opens every billing period that has started, gym by gym, as of `now` (one period per assignment per pass). */
export async function openDueDues(ports: DuesPorts, now: number): Promise<DuesPass> {
  const done: DuesPass = { gyms: 0, opened: 0, skipped: 0, busy: 0, failed: 0 };
  for (const gym of await ports.store.dueGyms(now, GYMS_PER_PASS)) {
    // One gym's failure (a bad time zone, a failed write) stays that gym's: it stays due, the gyms after it are billed.
    try {
      await openGymDues(ports, gym, now, done);
    } catch (err) {
      done.failed += 1;
      ports.gymFailed?.(gym.gymId, err);
    }
  }
  return done;
}

/** One gym's due periods in one transaction; what it did added to `done`. */
async function openGymDues(ports: DuesPorts, gym: { gymId: string; timeZone: string }, now: number, done: DuesPass): Promise<void> {
  const today = localDate(now, gym.timeZone);
  let skipped = 0;
  const charged = await ports.store.openDues(gym.gymId, today, now, async (rows, tx) => {
    for (const row of rows) {
      const step = duesStep(row, today);
      if (!(await tx.advance(row.assignmentId, row.nextDuesOn, step.next)) || step.do === "wait") continue;
      const period = { startsOn: step.period.startsOn, endsOn: step.period.endsOn };
      if (step.do === "skip") {
        skipped += 1;
        tx.audit({
          action: "dues.skipped",
          entityType: "member",
          entityId: row.memberId,
          before: null,
          after: { memberId: row.memberId, assignmentId: row.assignmentId, ...period, reason: step.reason },
        });
        continue;
      }
      const charge: Charge = {
        id: ports.newId(),
        gymId: gym.gymId,
        memberId: row.memberId,
        kind: "dues",
        description: duesDescription(row.planName, step.period),
        amountCents: row.priceCents,
        currency: row.currency,
        status: "open",
        createdAt: now,
        createdBy: null,
        feeId: null,
        settledAt: null,
        settledBy: null,
        method: null,
        note: "",
        refundOf: null,
      };
      await tx.addCharge(charge);
      tx.audit({
        action: "dues.opened",
        entityType: "member",
        entityId: row.memberId,
        before: null,
        after: {
          memberId: row.memberId,
          assignmentId: row.assignmentId,
          ...period,
          chargeId: charge.id,
          amountCents: charge.amountCents,
        },
      });
      // The member hears of it in the charge's commit (inbox at once; push/email by their preferences).
      await ports.notices.notify(
        [row.memberId],
        {
          kind: "membership",
          gymId: gym.gymId,
          text: duesNoticeText(row.planName, step.period, charge.amountCents, row.currency, row.locale),
        },
        tx.notices,
      );
    }
  });
  if (charged === null) {
    done.busy += 1;
    return;
  }
  done.skipped += skipped;
  if (charged.length > 0) {
    done.gyms += 1;
    done.opened += charged.length;
    // After the commit: what the member owes changed — their "Me" (the `account` note) and the desk read it again.
    for (const memberId of new Set(charged)) ports.notes.memberChanged(gym.gymId, memberId);
  }
}
