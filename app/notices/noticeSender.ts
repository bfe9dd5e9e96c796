import { DomainError } from "../../domain/errors.js";
import type { InboxNotice } from "../../domain/notices/inbox.js";
import type { NoticeDraft, NoticeRoute, NoticeSender, NoticeStore, NoticeTransaction } from "./ports.js";

/** Most recipients of one `notify` call (a bulk message pages its segment into calls of this size). */
export const MAX_RECIPIENTS = 5_000;
/** Longest notice text kept (the inbox column). */
export const MAX_TEXT = 500;

/** The app-level notice sender: validate, store every row in one transaction (the caller's, when given), then route them. */
export function noticeSender(d: { store: NoticeStore; route: NoticeRoute; now: () => number; newId: () => string }): NoticeSender {
  return {
    async notify(userIds, draft: NoticeDraft, within?: NoticeTransaction) {
      const ids = [...new Set(userIds)];
      if (ids.length > MAX_RECIPIENTS)
        throw new DomainError("LIMIT_EXCEEDED", `At most ${MAX_RECIPIENTS} people per send — split the list.`);
      const text = draft.text.trim();
      if (text.length === 0 || text.length > MAX_TEXT)
        throw new DomainError("VALIDATION_FAILED", `A notice needs 1 to ${MAX_TEXT} characters.`);
      if (ids.length === 0) return [];
      const at = d.now();
      const notices: InboxNotice[] = ids.map((userId) => ({
        id: d.newId(),
        userId,
        at,
        kind: draft.kind,
        text,
        sessionId: draft.sessionId ?? null,
        gymId: draft.gymId,
        readAt: null,
        expiresAt: draft.expiresAt ?? null,
      }));
      if (within) {
        await within.insertNotices(notices, at);
        within.afterCommit(() => d.route.stored(notices));
        return notices;
      }
      await d.store.insert(notices, at);
      d.route.stored(notices);
      return notices;
    },
  };
}
