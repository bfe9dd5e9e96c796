import type { SocketLike } from "../../domain/client/index.js";
import type { ServerToClientEvents } from "../../domain/protocol/envelope.js";

/** Listens to one of the server's events outside the room protocol (`feed:posted`, `board:changed`); returns the unsubscribe. */
export type Listen = <E extends keyof ServerToClientEvents>(event: E, listener: ServerToClientEvents[E]) => () => void;

/** {@link Listen} over the app's socket. */
export function listenOn(socket: SocketLike): Listen {
  return (event, listener) => {
    socket.on(event, listener);
    return () => void socket.off(event, listener);
  };
}
