/**
 * The slice of a Socket.IO client socket that {@link SpotterClient} needs, typed structurally so
 * `domain/` never imports socket.io-client: the app creates the socket and passes it in.
 *
 * @example
 * import { io } from "socket.io-client";
 * const socket = io(origin, { auth: { token }, transports: ["websocket"] });
 * const client = new SpotterClient(socket);
 */
export interface SocketLike {
  /** True while the namespace is connected and emits go out at once. */
  readonly connected: boolean;
  /** False once the socket gave up reconnecting (e.g. the server refused the token). */
  readonly active?: boolean;
  // `any` only because Socket.IO's own listener types use it; narrower types are not assignable.
  /* eslint-disable @typescript-eslint/no-explicit-any */
  on(event: string, listener: (...args: any[]) => void): unknown;
  off(event: string, listener: (...args: any[]) => void): unknown;
  /** `emit(event, payload, ack)`: the last argument is the acknowledgement callback. */
  emit(event: string, ...args: any[]): unknown;
  /* eslint-enable @typescript-eslint/no-explicit-any */
  /** Reconnects after the server closed the connection (Socket.IO does not retry that by itself). */
  connect?(): unknown;
}

/** Timer functions, injectable so tests and the domain boundary never touch the global clock directly. */
export interface Timers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/** The global timers (browser and Node). */
export const globalTimers: Timers = {
  setTimeout: (fn, ms) => globalThis.setTimeout(fn, ms),
  clearTimeout: (handle) => globalThis.clearTimeout(handle as ReturnType<typeof globalThis.setTimeout>),
};
