/**
 * The realtime protocol's version (docs/protocol.md, "Protocol version"). The server states it in `server:hello` on
 * every connection; an app sends the version it was built for in the handshake (`auth.protocol`) and compares.
 *
 * 1 — before versions (no `auth.protocol`, no `server:hello`): staff roster lines whole.
 * 2 — staff roster lines leave out their default fields (domain/views/rosterWire.ts); `membershipStatus` stays on
 *     every line, so a version-1 app still reads them correctly.
 */
export const PROTOCOL_VERSION = 2;

/** The oldest app version this server still reads and answers correctly; older apps are told to reload. */
export const OLDEST_SERVED_PROTOCOL = 1;

/** What the server states on every connection, before any other frame. */
export interface ServerHello {
  /** The version the server speaks. */
  protocol: number;
  /** The oldest app version it still serves correctly. */
  oldest: number;
  /** The version this connection's app stated in the handshake (1 when it stated none). */
  app: number;
}

/** Apps built before versions sent no `auth.protocol`: they are version 1. Anything else unreadable counts as 1 too. */
export function appProtocol(auth: unknown): number {
  const v = (auth as { protocol?: unknown } | null | undefined)?.protocol;
  return typeof v === "number" && Number.isInteger(v) && v >= 1 && v <= 1_000 ? v : 1;
}

/**
 * How an app built for `app` stands with a server that said `hello` (null: the server said nothing before its first
 * other frame — it predates versions):
 * - `current`: same version;
 * - `served`: the server is newer but still serves this app (keep working, suggest a reload);
 * - `unreadable`: the server cannot be read correctly by this app (stop reading its frames, reload).
 */
export type ProtocolFit = "current" | "served" | "unreadable";

export function protocolFit(app: number, hello: Pick<ServerHello, "protocol" | "oldest"> | null): ProtocolFit {
  if (hello === null) return app === 1 ? "current" : "unreadable";
  if (hello.protocol === app) return "current";
  return app >= hello.oldest && app < hello.protocol ? "served" : "unreadable";
}

/** The server's hello for a connection whose handshake carried `auth`. */
export function serverHello(auth: unknown): ServerHello {
  return { protocol: PROTOCOL_VERSION, oldest: OLDEST_SERVED_PROTOCOL, app: appProtocol(auth) };
}
