/**
 * A returned column that lets the statement's transaction commit without waiting for its WAL flush
 * (`synchronous_commit = off` for that transaction only: `set_config(…, true)` lasts until its end, and PostgreSQL
 * reads the setting at COMMIT). Put it in the RETURNING list (or the select list) of a write: whenever the statement
 * wrote a row it returned one, so the setting was made.
 *
 * Only for work nobody's answer waits for and that is redone when lost: applying a room's outbox row (the row comes
 * back with it), claiming and recording deliveries (claimed
 * and sent again — at least once, as when a node dies mid-send). PostgreSQL losing such a commit in a crash is the
 * same as the node dying just before it, which every one of them already survives; other sessions see it at once.
 * Never for a room's commit, anything acknowledged to a client, or a chain anchor (a head someone copied out must
 * survive a crash as they saw it). It sets the whole enclosing transaction: only in one that holds nothing else (never a use case's).
 *
 * Why: each of these commits was a WAL flush of its own (3–12 ms on a shared disk), and a command's one-statement
 * commit arriving meanwhile queued behind it. A promotion's notice delivery and mail were four flushes, an anchor a
 * fifth, all racing the next cancel's commit (`scripts/bench/hops.ts` counts them).
 */
export const NO_FLUSH_WAIT = "set_config('synchronous_commit', 'off', true) as no_flush_wait";
