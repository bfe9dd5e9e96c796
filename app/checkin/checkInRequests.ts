/** Member self check-in: the desk screen's presence code, and the gym's switch for it. */
import type { RequestPayload } from "../../domain/protocol/requests.js";
import type { GymRequest } from "../requestContext.js";
import type { CheckInPorts } from "./ports.js";

export const presenceCode = async (p: CheckInPorts, c: GymRequest<unknown>) => ({
  selfCheckIn: await p.settings.enabled(c.gymId),
  ...p.presence.current(c.gymId, p.now()),
});

export async function setSelfCheckIn(p: CheckInPorts, c: GymRequest<RequestPayload<"gym:setSelfCheckIn">>) {
  await p.settings.set(c.gymId, c.payload.enabled, { actorId: c.userId, commandId: c.commandId, at: p.now() });
  return { selfCheckIn: c.payload.enabled };
}
