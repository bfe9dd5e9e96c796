/**
 * Work nobody waits on, run once the answers of this turn are written (issue 15): a commit's answers are sent in
 * microtasks of the turn it lands in, and what is queued here (watchers' deltas, notes to other rooms, the outbox
 * apply, standings notes to other nodes, audit anchors) runs on the next turn — one `setImmediate` for all of it, in
 * the order it was queued. Work queued while the queue runs goes on the turn after. One that throws stops no other
 * and is reported to `onError` (the node's logger, set at start), never thrown out of the callback: an uncaught
 * exception would end the process and every room on it.
 */
const queued: (() => void)[] = [];
let due = false;

export function afterReplies(fn: () => void): void {
  queued.push(fn);
  if (due) return;
  due = true;
  setImmediate(runQueued);
}

/** A promise that resolves on the next turn, after this turn's answers (for async work that starts with it). */
export function nextTurn(): Promise<void> {
  return new Promise((resolve) => afterReplies(resolve));
}

let onError: (err: unknown) => void = (err) => console.error("work after replies threw", err);

/** Where an error of queued work is reported (the node sets its logger); returns the reporter it replaces. */
export function reportAfterRepliesErrors(report: (err: unknown) => void): (err: unknown) => void {
  const previous = onError;
  onError = report;
  return previous;
}

function runQueued(): void {
  due = false;
  const fns = queued.splice(0);
  for (const fn of fns)
    try {
      fn();
    } catch (err) {
      onError(err);
    }
}
