import { describe, expect, it } from "vitest";
import { CommandEnvelopeSchema, plainEnvelope } from "../../../domain/protocol/envelope.js";

const ok = {
  commandId: "cmd_12345-abc",
  room: "class:67d54188-cd1d-47b8-9a22-35a327c2a083",
  type: "class:book",
  payload: { sessionId: "x" },
};

/** Every change of one field, of the field set, or of the whole value that the schema may or may not accept. */
function variants(): unknown[] {
  const values: unknown[] = [
    "",
    "a",
    "abcdefg",
    "abcdefgh",
    "a".repeat(64),
    "a".repeat(65),
    "abc def gh",
    "abcdefgh\n",
    "ABCDEFGH_-9",
    "gym:67d54188-cd1d-47b8-9a22-35a327c2a083",
    "user:67D54188-CD1D-47B8-9A22-35A327C2A083",
    "class:67d54188-cd1d-47b8-9a22-35a327c2a08",
    "room:67d54188-cd1d-47b8-9a22-35a327c2a083",
    "class:67d54188-cd1d-47b8-9a22-35a327c2a083 ",
    "x".repeat(65),
    42,
    null,
    undefined,
    true,
    [],
    {},
    ["abcdefgh"],
  ];
  const out: unknown[] = [ok, null, undefined, 1, "command", [ok], [], {}, new Date(0), Object.create(null)];
  for (const key of ["commandId", "room", "type", "payload"] as const)
    for (const v of values) {
      out.push({ ...ok, [key]: v });
      const without: Record<string, unknown> = { ...ok };
      delete without[key];
      out.push(without);
    }
  out.push(
    { ...ok, extra: 1 },
    { ...ok, Room: ok.room },
    JSON.parse(`{"__proto__":1,"commandId":"abcdefgh","room":"${ok.room}","type":"t"}`),
  );
  out.push(Object.assign(Object.create({ inherited: 1 }), ok), Object.assign(Object.create(null), ok));
  return out;
}

describe("plainEnvelope", () => {
  it("accepts only what CommandEnvelopeSchema accepts, and gives the same fields", () => {
    let accepted = 0;
    for (const v of variants()) {
      const fast = plainEnvelope(v);
      const zod = CommandEnvelopeSchema.safeParse(v);
      if (fast === null) continue;
      accepted++;
      expect(zod.success, JSON.stringify(v)).toBe(true);
      const { commandId, room, type, payload } = zod.data!;
      expect({ commandId: fast.commandId, room: fast.room, type: fast.type, payload: fast.payload }).toEqual({
        commandId,
        room,
        type,
        payload,
      });
    }
    expect(accepted).toBeGreaterThan(10);
  });

  it("accepts the well-formed command every client sends (it is the storm's path)", () => {
    expect(plainEnvelope(ok)).toBe(ok);
    expect(plainEnvelope({ ...ok, payload: undefined })).not.toBeNull();
    // Without the key the schema refuses it (z.unknown() is not optional): left to the schema.
    expect(plainEnvelope({ commandId: ok.commandId, room: ok.room, type: ok.type })).toBeNull();
  });
});
