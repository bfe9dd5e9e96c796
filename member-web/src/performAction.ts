import type { Ack } from "../../domain/protocol/envelope.js";
import { streakLabel } from "../../domain/attendance/streak.js";
import type { SessionActionDetail } from "./actions.js";
import { formatMoney, relativeWhen } from "./format.js";
import type { LateCancelInfo } from "./late-cancel-dialog.js";
import { toasts } from "../../web/shared/toasts.js";
import type { Send } from "./types.js";

/** What performing a session action needs from the shell. */
export interface ActionContext {
  send: Send;
  online: boolean;
  now: number;
  timeZone: string;
  /** Resolves true when the member confirms a late cancel. */
  confirmLateCancel(info: LateCancelInfo): Promise<boolean>;
}

type BookResult = { status: "booked"; spotsLeft: number } | { status: "waitlisted"; position: number };
type CancelResult = { status: "cancelled" | "late_cancelled"; feeCents: number; notice: string | null };

const COMMANDS = {
  book: "class:book",
  waitlist: "class:book",
  cancel: "class:cancelBooking",
  leaveWaitlist: "class:leaveWaitlist",
  claim: "class:claimOffer",
  checkIn: "class:checkIn",
} as const;

/**
 * Books, cancels, joins or leaves a waitlist, claims an offer, or checks in with the desk's code — one command, answered in words.
 * A cancel at or after the late-cancel cut-off first shows the fee and needs confirming.
 * Resolves true when the command succeeded.
 */
export async function performAction(detail: SessionActionDetail, ctx: ActionContext): Promise<boolean> {
  const what = `${detail.className}, ${relativeWhen(detail.startsAt, ctx.timeZone, ctx.now)}`;
  if (!ctx.online) {
    toasts.error("You're offline — nothing was sent. Try again when you're back online.");
    return false;
  }
  const b = detail.booking;
  const confirmFee = async (): Promise<boolean> => {
    if (!b) return false;
    const info = {
      className: b.className,
      startsAt: b.startsAt,
      lateCancelAt: b.lateCancelAt,
      feeCents: b.lateCancelFeeCents,
      currency: b.currency,
    };
    return ctx.confirmLateCancel({ ...info, timeZone: ctx.timeZone, now: ctx.now });
  };
  let acceptFee = false;
  if (detail.action === "cancel" && b && ctx.now >= b.lateCancelAt && b.lateCancelFeeCents > 0 && !b.lateCancelFeeWaived) {
    if (!(await confirmFee())) return false;
    acceptFee = true;
  }
  const payload =
    detail.action === "waitlist"
      ? { sessionId: detail.sessionId, waitlist: true }
      : detail.action === "checkIn"
        ? { sessionId: detail.sessionId, ...(detail.presenceCode ? { presenceCode: detail.presenceCode } : {}) }
        : acceptFee
          ? { sessionId: detail.sessionId, acceptFee: true }
          : { sessionId: detail.sessionId };
  let ack: Ack<unknown> = await ctx.send(`class:${detail.sessionId}`, COMMANDS[detail.action], payload);
  // The server's clock says it is already late (ours disagreed): show the fee, and only then cancel.
  if (!ack.ok && ack.error.code === "LATE_CANCEL_FEE" && !acceptFee) {
    if (!(await confirmFee())) return false;
    ack = await ctx.send(`class:${detail.sessionId}`, COMMANDS[detail.action], { sessionId: detail.sessionId, acceptFee: true });
  }
  if (!ack.ok) {
    toasts.error(ack.error);
    return false;
  }
  toasts.success(successText(detail, ack.result, what));
  return true;
}

function successText(detail: SessionActionDetail, result: unknown, what: string): string {
  switch (detail.action) {
    case "book":
    case "waitlist": {
      const r = result as BookResult | null;
      return r?.status === "waitlisted" ? `You're #${r.position} on the waitlist for ${what}.` : `Booked: ${what}.`;
    }
    case "cancel": {
      const r = result as CancelResult | null;
      if (r?.notice) return `Cancelled: ${what}. ${r.notice}`;
      if (r && r.feeCents > 0 && detail.booking)
        return `Cancelled: ${what}. A ${formatMoney(r.feeCents, detail.booking.currency)} late-cancel fee was charged.`;
      return `Cancelled: ${what}. No fee.`;
    }
    case "leaveWaitlist":
      return `You left the waitlist for ${what}.`;
    case "claim":
      return `You're in: ${what}.`;
    case "checkIn": {
      // The streak comes in the answer (the one definition, decided with the check-in): never computed here.
      const r = result as { streak?: number | null } | null;
      return typeof r?.streak === "number" && r.streak > 0 ? `Checked in: ${what}. ${streakLabel(r.streak)}` : `Checked in: ${what}.`;
    }
  }
}
