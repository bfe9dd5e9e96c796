/**
 * Notifications as a port other use cases call (issue 20): `NoticeSender.notify(userIds, draft)` stores one inbox
 * entry per person and hands them to delivery (the live `user:` rooms at once; push and email through the durable
 * delivery outbox, each person's preferences deciding the channels). Adapters: `server/persistence/noticeStore.ts`.
 */
import type { InboxNotice } from "../../domain/notices/inbox.js";
import type { NoticeKind } from "../../domain/notices/kinds.js";

/** What to tell people. `sessionId`: the class it is about (the app and the push open its card). */
export interface NoticeDraft {
  kind: NoticeKind;
  text: string;
  gymId: string | null;
  sessionId?: string | null;
  /** When what it offers runs out: quiet hours never hold its push past it, and its push lives only until then. */
  expiresAt?: number | null;
}

/**
 * A caller's open transaction that a send joins: the notices are written in it (they exist exactly when the event
 * that caused them commits) and shown and delivered only after it commits. Stores hand one out with their
 * transaction (`AdminTx.notices`, the feed's and the challenges' transactions).
 */
export interface NoticeTransaction {
  /** Writes notice rows inside this transaction. */
  insertNotices(notices: readonly InboxNotice[], now: number): Promise<void>;
  /** Runs `fn` once this transaction has committed (never when it rolls back). */
  afterCommit(fn: () => void): void;
}

/** Sends notices. A send is one transaction: every row or none. */
export interface NoticeSender {
  /**
   * Stores and delivers one notice per user (at most `MAX_RECIPIENTS` per call; more is refused — page a segment).
   * Answers the stored notices. With `within`, the rows are written in that transaction and delivered after it
   * commits; without, in a transaction of their own.
   * @example await notices.notify(memberIds, { kind: "message", text: "Open gym is closed on Monday", gymId })
   * @example await notices.notify([memberId], { kind: "membership", text: "Your membership is frozen", gymId }, tx.notices)
   */
  notify(userIds: readonly string[], draft: NoticeDraft, within?: NoticeTransaction): Promise<InboxNotice[]>;
}

/** Stores notices (one transaction), and writes them inside a caller's own transaction when the event commits there. */
export interface NoticeStore {
  insert(notices: readonly InboxNotice[], now: number): Promise<void>;
}

/** After notices are stored: show them in the live `user:` rooms (every node) and start their delivery. */
export interface NoticeRoute {
  stored(notices: readonly InboxNotice[]): void;
}
