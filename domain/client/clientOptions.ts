import type { CommandPayload, CommandType } from "../protocol/commands.js";
import type { ErrorBody } from "../protocol/envelope.js";
import type { QueryType } from "../protocol/queries.js";
import { globalTimers, type Timers } from "./socket.js";

/**
 * The client's public vocabulary besides the class (SpotterClient.ts): connection states, the options and their
 * defaults, and the payload type a command takes.
 */

/** `connecting` before the first connect; `reconnecting` after a drop; `denied` when the server refused the token. */
export type ConnectionStatus = "connecting" | "connected" | "reconnecting" | "denied";

export interface ConnectionState {
  status: ConnectionStatus;
  /** Why the connection was refused (`denied`), in words. */
  error: ErrorBody | null;
}

export interface SpotterClientOptions {
  /** How long to wait for one ack (default 5 s). */
  ackTimeoutMs?: number;
  /** Sends of one command, first included (default 3); every retry carries the same commandId. */
  maxAttempts?: number;
  /** After a drop mid-command, how long to wait for the connection before giving up (default 8 s). */
  reconnectGraceMs?: number;
  /**
   * Offline longer than this, rejoin for snapshots instead of resuming with `since` (default 30 s):
   * by then the room may have been evicted and restarted, and a restarted room counts from 0 again.
   */
  resumeWindowMs?: number;
  /** Command ids (default `crypto.randomUUID()`). */
  newId?: () => string;
  timers?: Timers;
}

/** The options with their defaults filled in. */
export function resolveOptions(options: SpotterClientOptions): Required<SpotterClientOptions> {
  return {
    ackTimeoutMs: options.ackTimeoutMs ?? 5_000,
    maxAttempts: Math.max(1, options.maxAttempts ?? 3),
    reconnectGraceMs: options.reconnectGraceMs ?? 8_000,
    resumeWindowMs: options.resumeWindowMs ?? 30_000,
    newId: options.newId ?? (() => globalThis.crypto.randomUUID()),
    timers: options.timers ?? globalTimers,
  };
}

/**
 * The payload a command type takes: the zod-derived type for known commands, `{}`-like objects for
 * queries, anything for types this build does not know (newer servers).
 */
export type PayloadOf<K extends string> = K extends CommandType
  ? CommandPayload<K>
  : K extends QueryType
    ? Record<string, unknown>
    : unknown;
