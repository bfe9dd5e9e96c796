/**
 * The browser-safe Spotter client: pass it a Socket.IO socket, watch rooms, send commands.
 *
 * @example
 * import { io } from "socket.io-client";
 * import { SpotterClient, errorMessage } from "../../domain/client/index.js";
 * const client = new SpotterClient(io(location.origin, { auth: { token }, transports: ["websocket"] }));
 */
export { SpotterClient, type ConnectionState, type ConnectionStatus, type SpotterClientOptions, type PayloadOf } from "./SpotterClient.js";
export { RoomFeed, type RoomState, type RoomStatus } from "./RoomFeed.js";
export { errorMessage, OfflineError, NoAnswerError } from "./messages.js";
export { globalTimers, type SocketLike, type Timers } from "./socket.js";
