/** Raw-frame reading for revocation tests: where a socket was told `access_revoked`, and what reached it after. */
import { io } from "socket.io-client";
import type { TestSocket } from "./sockets.js";

type Event = [string, { room?: string; seq?: number; reason?: string }];

const eventOf = (frame: string): Event | null => {
  const m = /^2\d*(\[.*)$/s.exec(frame); // engine.io hands over the Socket.IO packet: 2 = EVENT
  if (!m) return null;
  try {
    return JSON.parse(m[1]!) as Event;
  } catch {
    return null;
  }
};

/** Index of the first raw frame telling this socket its watch of `room` was revoked, or -1. */
export function resetIndex(s: TestSocket, room: string): number {
  return s.frames.findIndex((f) => {
    const e = eventOf(f);
    return e?.[0] === "room:reset" && e[1].room === room && e[1].reason === "access_revoked";
  });
}

/** The seqs of `room` deltas among the raw frames after the revocation's reset (none, when revocation holds). */
export function deltasAfterReset(s: TestSocket, room: string): number[] {
  const at = resetIndex(s, room);
  if (at < 0) throw new Error(`no access_revoked reset for ${room}`);
  return s.frames.slice(at + 1).flatMap((f) => {
    const e = eventOf(f);
    return e?.[0] === "room:delta" && e[1].room === room ? [e[1].seq ?? -1] : [];
  });
}

/** Connects with `token`: null when accepted (then closes), else the refusal's `{ code, message }`. */
export async function connectError(url: string, token: string): Promise<{ code: string | undefined; message: string } | null> {
  const socket = io(url, { auth: { token }, transports: ["websocket"], reconnection: false, forceNew: true });
  try {
    return await new Promise((resolve) => {
      socket.once("connect", () => resolve(null));
      socket.once("connect_error", (e: Error & { data?: { code?: string } }) => resolve({ code: e.data?.code, message: e.message }));
    });
  } finally {
    socket.close();
  }
}
