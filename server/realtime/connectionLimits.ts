/**
 * Sockets per user (tight, counted on every node when the counts are shared) and per address (loose, so a gym
 * behind one NAT and load tests on 127.0.0.1 still fit), checked at the handshake after the token is verified.
 */
import type { Server as IoServer, Socket } from "socket.io";
import type { ConnectionCounts } from "../cluster/connectionCounts.js";
import type { Identity } from "../auth.js";

export interface ConnectionLimitOptions {
  perUser: ConnectionCounts;
  perAddress: ConnectionCounts;
  maxPerUser: number;
  maxPerAddress: number;
}

type CountedSocket = Socket & { data: { identity: Identity } };

/** A refused handshake: the client's `connect_error` carries the message and `data.code`. */
const refusal = (message: string) => Object.assign(new Error(message), { data: { code: "LIMIT_EXCEEDED" } });

/** Installs the handshake check; call after the middleware that sets `socket.data.identity`. */
export function limitConnections(io: IoServer, o: ConnectionLimitOptions): void {
  // One handler for every socket (`this` is the socket), not a closure each.
  function released(this: CountedSocket): void {
    o.perUser.release(this.data.identity.userId);
    o.perAddress.release(this.handshake.address);
  }

  io.use((raw, next) => {
    const socket = raw as CountedSocket;
    const userId = socket.data.identity.userId;
    const address = socket.handshake.address;
    void (async () => {
      if (!(await o.perAddress.acquire(address, o.maxPerAddress)))
        return next(refusal(`Too many connections from your network (at most ${o.maxPerAddress}) — try again later.`));
      if (!(await o.perUser.acquire(userId, o.maxPerUser))) {
        o.perAddress.release(address);
        return next(refusal(`You're connected on too many devices or tabs (at most ${o.maxPerUser}) — close one and try again.`));
      }
      if (socket.conn.readyState !== "open") {
        // The client left while we counted: it will never connect, so it never disconnects either.
        released.call(socket);
        return next(refusal("Connection closed."));
      }
      socket.on("disconnect", released);
      next();
    })().catch((err: unknown) => next(err as Error));
  });
}
