/**
 * A room's command log (no retry applied twice): a retry while the command runs shares its answer, a retry after it
 * committed gets the stored answer, and a command that settled without being stored (a refusal) may run again.
 */
import { describe, expect, it } from "vitest";
import type { Ack, RoomId } from "../../domain/protocol/envelope.js";
import { CommandLog } from "../../rooms/commandLog.js";
import type { RoomMessage } from "../../rooms/ports.js";

const command = (commandId: string, userId = "u1"): Extract<RoomMessage, { kind: "command" }> => ({
  kind: "command",
  caller: { userId, membership: null },
  commandId,
  type: "class:book",
  payload: {},
  receivedAt: 0,
});

describe("command log", () => {
  it("shares a running answer with a retry, and forgets it once it settles", async () => {
    const log = new CommandLog();
    let runs = 0;
    let settle!: (a: Ack<unknown>) => void;
    const run = () => {
      runs += 1;
      return new Promise<Ack<unknown>>((resolve) => (settle = resolve));
    };
    const first = log.answer(command("c1"), run);
    const retry = log.answer(command("c1"), run);
    expect(retry).toBe(first);
    // Another user's command of the same id is another command.
    void log.answer(command("c1", "u2"), () => Promise.resolve({ ok: true, result: "other" }));
    expect(runs).toBe(1);
    settle({ ok: false, error: { code: "CLASS_FULL", message: "full" } });
    await expect(first).resolves.toEqual({ ok: false, error: { code: "CLASS_FULL", message: "full" } });
    // Settled and not stored (a refusal): a retry runs again.
    void log.answer(command("c1"), run);
    expect(runs).toBe(2);
  });

  it("answers a retry of a committed command from what was stored, without running it", async () => {
    const log = new CommandLog();
    const stored = { ok: true as const, result: { status: "booked" } };
    log.remember([
      {
        room: "class:x" as RoomId,
        userId: "u1",
        commandId: "c2",
        gymId: null,
        type: "class:book",
        response: stored,
        createdAt: 5,
        role: null,
      },
    ]);
    let runs = 0;
    const answer = await log.answer(command("c2"), () => {
      runs += 1;
      return Promise.resolve({ ok: true, result: null });
    });
    expect(answer).toEqual(stored);
    expect(runs).toBe(0);
    expect(log.answerOf(command("c2"))).toEqual(stored);
  });
});
