/**
 * Stable error codes and the domain error type.
 *
 * Every refusal carries a `code` clients can switch on and a `message` a member can read:
 * what happened and what to do next. Transport turns a `DomainError` into an ack error as is.
 */

/** Every error code the domain and the transport may answer with. */
export const ErrorCodes = {
  VALIDATION_FAILED: "VALIDATION_FAILED",
  UNAUTHENTICATED: "UNAUTHENTICATED",
  ACCOUNT_DELETED: "ACCOUNT_DELETED",
  FORBIDDEN: "FORBIDDEN",
  NOT_FOUND: "NOT_FOUND",
  RATE_LIMITED: "RATE_LIMITED",
  PAYLOAD_TOO_LARGE: "PAYLOAD_TOO_LARGE",
  CLASS_FULL: "CLASS_FULL",
  ALREADY_BOOKED: "ALREADY_BOOKED",
  ALREADY_WAITLISTED: "ALREADY_WAITLISTED",
  NOT_BOOKED: "NOT_BOOKED",
  ALREADY_CHECKED_IN: "ALREADY_CHECKED_IN",
  NOT_CHECKED_IN: "NOT_CHECKED_IN",
  BOOKING_CLOSED: "BOOKING_CLOSED",
  BOOKING_NOT_OPEN: "BOOKING_NOT_OPEN",
  MEMBERSHIP_INACTIVE: "MEMBERSHIP_INACTIVE",
  NO_CREDITS: "NO_CREDITS",
  WEEKLY_LIMIT_REACHED: "WEEKLY_LIMIT_REACHED",
  PLAN_NOT_STARTED: "PLAN_NOT_STARTED",
  PLAN_ENDED: "PLAN_ENDED",
  CLASS_NOT_COVERED: "CLASS_NOT_COVERED",
  WAITLIST_FULL: "WAITLIST_FULL",
  WAITLIST_DISABLED: "WAITLIST_DISABLED",
  NOT_WAITLISTED: "NOT_WAITLISTED",
  NO_OFFER: "NO_OFFER",
  CLASS_CANCELLED: "CLASS_CANCELLED",
  CLASS_NOT_STARTED: "CLASS_NOT_STARTED",
  CLASS_NOT_OVER: "CLASS_NOT_OVER",
  CLASS_COMPLETED: "CLASS_COMPLETED",
  LATE_CANCEL_FEE: "LATE_CANCEL_FEE",
  CONSENT_REQUIRED: "CONSENT_REQUIRED",
  WAIVER_REQUIRED: "WAIVER_REQUIRED",
  LEGAL_HOLD: "LEGAL_HOLD",
  CHALLENGE_ENDED: "CHALLENGE_ENDED",
  MEMBER_BLOCKED: "MEMBER_BLOCKED",
  LIMIT_EXCEEDED: "LIMIT_EXCEEDED",
  SELF_CHECK_IN_DISABLED: "SELF_CHECK_IN_DISABLED",
  PRESENCE_REQUIRED: "PRESENCE_REQUIRED",
  CHARGE_SETTLED: "CHARGE_SETTLED",
  CHARGE_REFUNDED: "CHARGE_REFUNDED",
  CHARGE_NOT_PAID: "CHARGE_NOT_PAID",
  DUPLICATE_MEMBER: "DUPLICATE_MEMBER",
  CONFLICT: "CONFLICT",
  UNAVAILABLE: "UNAVAILABLE",
  INTERNAL: "INTERNAL",
} as const;

/** One of {@link ErrorCodes}. */
export type ErrorCode = (typeof ErrorCodes)[keyof typeof ErrorCodes];

/** Default human message per code: what happened, and what to do next. */
export const DefaultMessages: Readonly<Record<ErrorCode, string>> = {
  VALIDATION_FAILED: "Some details are missing or wrong — check the highlighted fields.",
  UNAUTHENTICATED: "Please sign in again.",
  ACCOUNT_DELETED: "This account was deleted at your request — it can no longer be used.",
  FORBIDDEN: "Only gym staff can do that.",
  NOT_FOUND: "We couldn't find that — it may have been removed.",
  RATE_LIMITED: "Too many requests — wait a moment and try again.",
  PAYLOAD_TOO_LARGE: "That request is too large.",
  CLASS_FULL: "This class is full — join the waitlist to be told when a spot opens.",
  ALREADY_BOOKED: "You're already booked in this class.",
  ALREADY_WAITLISTED: "You're already on the waitlist for this class.",
  NOT_BOOKED: "There's no booking for this class to change.",
  ALREADY_CHECKED_IN: "Already checked in — ask the front desk to undo it first.",
  NOT_CHECKED_IN: "This member isn't checked in.",
  BOOKING_CLOSED: "Booking for this class has closed.",
  BOOKING_NOT_OPEN: "Booking for this class hasn't opened yet.",
  MEMBERSHIP_INACTIVE: "Your membership isn't active — ask the front desk.",
  NO_CREDITS: "No class credits left — buy a new pack at the front desk or in the app.",
  WEEKLY_LIMIT_REACHED: "You've used all your classes for this week — book again next week or upgrade your plan.",
  PLAN_NOT_STARTED: "Your plan hasn't started yet — book classes from its first day.",
  PLAN_ENDED: "Your plan has ended — ask the front desk.",
  CLASS_NOT_COVERED: "Your plan doesn't cover this class — ask the front desk.",
  WAITLIST_FULL: "The waitlist for this class is full.",
  WAITLIST_DISABLED: "This class has no waitlist.",
  NOT_WAITLISTED: "You're not on the waitlist for this class.",
  NO_OFFER: "There's no spot on offer for you — the offer may have expired.",
  CLASS_CANCELLED: "This class has been cancelled.",
  CLASS_NOT_STARTED: "This class hasn't started yet.",
  CLASS_NOT_OVER: "This class isn't over yet.",
  CLASS_COMPLETED: "This class is already over.",
  LATE_CANCEL_FEE: "Cancelling now is a late cancel and a fee applies — confirm to cancel anyway.",
  CONSENT_REQUIRED: "Please accept the updated terms before booking.",
  WAIVER_REQUIRED: "Please sign the gym's waiver before booking — open Me → Waiver.",
  LEGAL_HOLD: "This member's data is under a legal hold and cannot be deleted yet.",
  CHALLENGE_ENDED: "This challenge has ended — join a current one.",
  MEMBER_BLOCKED: "You blocked this member — unblock them first.",
  LIMIT_EXCEEDED: "That's more than Spotter takes at once — make it smaller or try again tomorrow.",
  SELF_CHECK_IN_DISABLED: "This gym checks members in at the front desk — show your code there.",
  PRESENCE_REQUIRED: "Type the check-in code shown on the desk screen to check yourself in.",
  CHARGE_SETTLED: "This charge is already settled — nothing to do.",
  CHARGE_REFUNDED: "This charge was already refunded — nothing to do.",
  CHARGE_NOT_PAID: "Only a paid charge can be refunded.",
  DUPLICATE_MEMBER: "This person looks like a member already — open their profile instead.",
  CONFLICT: "Something changed at the same time — refresh and try again.",
  UNAVAILABLE: "Spotter is briefly unavailable — try again in a moment.",
  INTERNAL: "Something went wrong on our side — try again.",
};

const RetryableCodes: ReadonlySet<ErrorCode> = new Set<ErrorCode>(["UNAVAILABLE", "RATE_LIMITED"]);

/** Whether the same request may succeed if simply retried later. */
export function isRetryable(code: ErrorCode): boolean {
  return RetryableCodes.has(code);
}

/** The ack error shape every transport answers with. */
export interface AckError {
  code: ErrorCode;
  message: string;
  fields?: Record<string, string>;
}

/** Options for {@link DomainError}. */
export interface DomainErrorOptions {
  /** Per-field messages, keyed by dotted path ("payload.capacity"). */
  fields?: Record<string, string>;
  /** Machine-readable facts for clients, e.g. `{ opensAt }` for BOOKING_NOT_OPEN. */
  details?: Record<string, string | number | boolean | null>;
}

/**
 * A refused command. Domain functions *return* it rather than throw.
 *
 * @example
 * const r = bookSpot(state, {}, ctx);
 * if (isDomainError(r)) return ack({ ok: false, error: r.toAck() });
 */
export class DomainError extends Error {
  readonly code: ErrorCode;
  readonly fields: Record<string, string> | undefined;
  readonly details: Record<string, string | number | boolean | null> | undefined;

  constructor(code: ErrorCode, message?: string, options: DomainErrorOptions = {}) {
    // A refusal is an answer, not a fault: no stack frames (capturing them was 2–4 % of a booking storm's CPU).
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    try {
      super(message ?? DefaultMessages[code]);
    } finally {
      Error.stackTraceLimit = limit;
    }
    this.name = "DomainError";
    this.code = code;
    this.fields = options.fields;
    this.details = options.details;
  }

  /** Whether retrying the same command later may succeed. */
  get retryable(): boolean {
    return isRetryable(this.code);
  }

  /** The client-safe ack error. */
  toAck(): AckError {
    return this.fields === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, fields: this.fields };
  }
}

/** Type guard for a returned domain refusal. */
export function isDomainError(value: unknown): value is DomainError {
  return value instanceof DomainError;
}
