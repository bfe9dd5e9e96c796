/**
 * The warm-up's wire and command steps (server/transportWarmUp.ts, server/warmRuntime.ts) run the node's own code on
 * the objects a real command brings: the frame a client sends decodes, through the node's Socket.IO codecs, to the
 * envelope it carried; the command made of it is the one the socket protocol makes (payload through its schema, caller
 * from the access check); refusals stay refusals (a warm-up that no longer exercises the path fails loudly upstream).
 */
import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { decodeCommands, encodeAcks, transportCodecs } from "../../server/transportWarmUp.js";
import { commandOf, warmAccess } from "../../server/warmRuntime.js";

describe("the warm-up's wire and command steps", () => {
  const gymId = randomUUID();
  const sessionId = randomUUID();
  const userId = randomUUID();
  const envelope = { commandId: randomUUID(), room: `class:${sessionId}`, type: "class:book", payload: { sessionId } };

  it("decodes a client's command frame with the node's codecs to the envelope it carried, and encodes acks", () => {
    const codecs = transportCodecs();
    expect(codecs).toBeDefined();
    const [decoded] = decodeCommands(codecs!, [envelope]);
    expect(decoded).toEqual(envelope);
    expect(() => encodeAcks(codecs!, [{ ok: true, result: { bookingId: randomUUID() } }])).not.toThrow();
  });

  it("makes the socket protocol's room command of it, the caller an active member of the synthetic gym", async () => {
    const message = await commandOf(warmAccess(gymId), userId, envelope);
    expect(message).toMatchObject({
      kind: "command",
      caller: { userId, membership: { gymId, role: "member", status: "active" } },
      commandId: envelope.commandId,
      type: "class:book",
      payload: { sessionId },
    });
  });

  it("refuses what the socket protocol refuses", async () => {
    const access = warmAccess(gymId);
    expect(await commandOf(access, userId, { ...envelope, type: "class:nope" })).toMatchObject({ ok: false });
    expect(await commandOf(access, userId, { ...envelope, extra: 1 })).toMatchObject({ ok: false });
    expect(await commandOf(access, userId, { ...envelope, payload: { sessionId: 5 } })).toMatchObject({ ok: false });
  });
});
