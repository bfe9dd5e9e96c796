/** What both baseline servers (the row-lock server and the no-op one) need from their environment and handshake. */
import { jwtVerify } from "jose";
import type { Server } from "socket.io";

/** An environment variable the server cannot start without. */
export const env = (name: string): string =>
  process.env[name] ??
  (() => {
    throw new Error(`${name} is required`);
  })();

/** Admits a socket whose handshake token is signed with JWT_SECRET (HS256), as `socket.data.userId`; else UNAUTHENTICATED. */
export function requireToken(io: Server): void {
  const key = new TextEncoder().encode(env("JWT_SECRET"));
  io.use((socket, next) => {
    jwtVerify(String(socket.handshake.auth?.token ?? ""), key, { algorithms: ["HS256"] }).then(
      ({ payload }) => {
        socket.data.userId = payload.sub;
        next();
      },
      () => next(new Error("UNAUTHENTICATED")),
    );
  });
}
