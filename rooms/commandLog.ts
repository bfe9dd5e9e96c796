import type { Ack, RoomId } from "../domain/protocol/envelope.js";
import type { ProcessedRecord, RoomMessage } from "./ports.js";

type Command = Extract<RoomMessage, { kind: "command" }>;

/**
 * A room's log of commands, for "no retry applied twice": the answers it committed (loaded with the room, kept
 * for the idempotency window) and the commands still running. A retry (same user, same `commandId`) gets the
 * stored answer, or shares the running one; it never runs again.
 */
export class CommandLog {
  private readonly answered = new Map<string, ProcessedRecord>();
  private readonly running = new Map<string, Promise<Ack<unknown>>>();

  /** The committed answer to this command, if any. */
  answerOf(message: Command): Ack<unknown> | undefined {
    return this.answered.get(keyOf(message.caller.userId, message.commandId))?.response;
  }

  /** The answer to this command: stored, shared with a run in progress, or from `run` (tracked until it settles). */
  answer(message: Command, run: () => Promise<Ack<unknown>>): Promise<Ack<unknown>> {
    const key = keyOf(message.caller.userId, message.commandId);
    const done = this.answered.get(key);
    if (done) return Promise.resolve(done.response);
    const running = this.running.get(key);
    if (running) return running;
    const answer = run();
    this.running.set(key, answer);
    // `then`, not `finally`: the same order (registered before the caller's own reaction), two promises fewer per command.
    const forget = () => void this.running.delete(key);
    answer.then(forget, forget);
    return answer;
  }

  /** Remembers committed answers (after a commit, or loaded with the room: those since `horizon`). */
  remember(records: Iterable<ProcessedRecord>, horizon = -Infinity): void {
    for (const p of records) if (p.createdAt >= horizon) this.answered.set(keyOf(p.userId, p.commandId), p);
  }
}

function keyOf(userId: string, commandId: string): string {
  return `${userId}\u0000${commandId}`;
}

/** What a room stores about a command that changed something (its answer, for retries within the idempotency window); null otherwise. */
export function processedRecord(
  room: RoomId,
  message: RoomMessage,
  outcome: { changes: readonly unknown[]; reply: Ack<unknown> },
  at: number,
): ProcessedRecord | null {
  if (message.kind !== "command" || outcome.changes.length === 0) return null;
  return {
    room,
    userId: message.caller.userId,
    commandId: message.commandId,
    gymId: message.caller.membership?.gymId ?? null,
    type: message.type,
    response: outcome.reply,
    createdAt: at,
    role: message.caller.membership?.role ?? null,
  };
}
