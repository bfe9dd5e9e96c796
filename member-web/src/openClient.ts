import { io } from "socket.io-client";
import { SpotterClient } from "../../domain/client/index.js";
import { keepFresh, type SessionInfo } from "../../web/shared/authClient.js";
import { listenOn, type Listen } from "../../web/shared/listen.js";
import { watchProtocol } from "../../web/shared/protocolCheck.js";
import { PROTOCOL_VERSION } from "../../domain/protocol/version.js";

export type { Listen };

/** A live connection for one signed-in member; `close()` ends it. */
export interface MemberClient {
  client: SpotterClient;
  listen: Listen;
  close(): void;
}

/**
 * Connects to the node that served the page with the session's access token, and keeps that token fresh in place
 * (`auth:renew`: the rooms stay watched). `onExpired` hears, in words, when the session ends.
 */
export function openClient(session: SessionInfo, onExpired: (message: string) => void): MemberClient {
  const socket = io(location.origin, { auth: { token: session.accessToken, protocol: PROTOCOL_VERSION }, transports: ["websocket"] });
  const stopProtocol = watchProtocol(socket);
  const stopFresh = keepFresh(session, socket, onExpired);
  const client = new SpotterClient(socket);
  socket.on("auth:expired", (info: { message?: string }) => onExpired(info.message ?? "Your session expired — sign in again."));
  const stop = client.onConnection((c) => {
    if (c.status === "denied") onExpired(c.error?.message ?? "Please sign in again.");
  });
  return {
    client,
    listen: listenOn(socket),
    close: () => {
      stopProtocol();
      stopFresh();
      stop();
      client.close();
      socket.disconnect();
    },
  };
}
