/**
 * Socket admission's part of the composition root: the Socket.IO server with its starting gate, the token check every
 * socket passes, the per-user and per-address connection caps, the connection gauge, and the `server:hello` (protocol
 * version) every socket hears first.
 */
import { Server as IoServer } from "socket.io";
import type { TokenVerifier } from "./auth.js";
import type { Config } from "./config.js";
import type { StartingGate } from "./http/startingGate.js";
import type { Logger } from "./logger.js";
import type { Metrics } from "./metrics.js";
import type { RedisClient } from "./redis.js";
import { LocalConnectionCounts, RedisConnectionCounts } from "./cluster/connectionCounts.js";
import { limitConnections } from "./realtime/connectionLimits.js";
import { forgetHandshake } from "./startup.js";
import { installSocketIoFastPath } from "./http/socketIoFastPath.js";
import { appProtocol, serverHello } from "../domain/protocol/version.js";

/** The Socket.IO server; sockets wait at the gate (before auth) until the node is up: the port is bound before the database is ready. */
export function createIo(config: Config, gate: StartingGate): IoServer {
  installSocketIoFastPath();
  const io = new IoServer({
    serveClient: false,
    maxHttpBufferSize: config.MAX_PAYLOAD_BYTES,
    pingInterval: 10_000,
    pingTimeout: 5_000,
    connectionStateRecovery: undefined,
  });
  io.use((_socket, next) =>
    gate.isOpen
      ? next()
      : next(Object.assign(new Error("The server is starting — try again in a moment."), { data: { code: "UNAVAILABLE" } })),
  );
  return io;
}

export interface AdmissionDeps {
  config: Config;
  verifier: TokenVerifier;
  /** Redis, when clustered: the per-user connection count is then shared by every node. */
  pub: RedisClient | undefined;
  log: Logger;
  metrics: Metrics;
}

/** Token check, connection caps and the gauge, once the node is up. `close()` releases the shared counts. */
export function admitSockets(io: IoServer, d: AdmissionDeps): { close(): void } {
  const { config, verifier, pub, log, metrics } = d;
  io.use((socket, next) => {
    void verifier.verify(socket.handshake.auth?.token).then((r) => {
      if (!r.ok) return next(Object.assign(new Error(r.message), { data: { code: r.code } }));
      socket.data.identity = r.identity;
      socket.data.protocol = appProtocol(socket.handshake.auth);
      forgetHandshake(socket, config.TRUST_PROXY);
      next();
    });
  });
  const connectionCounts = {
    perUser: pub
      ? new RedisConnectionCounts(pub, "user", config.NODE_ID, (err) =>
          log.warn({ err: String(err) }, "shared connection counts unavailable"),
        )
      : new LocalConnectionCounts(),
    perAddress: new LocalConnectionCounts(),
  };
  limitConnections(io, { ...connectionCounts, maxPerUser: config.MAX_SOCKETS_PER_USER, maxPerAddress: config.MAX_SOCKETS_PER_IP });
  const disconnected = () => metrics.connections.dec(); // one function for every socket, not a closure each
  io.on("connection", (socket) => {
    metrics.connections.inc();
    // Before any other frame: the app compares the version it was built for and, on a mismatch, asks for a reload.
    socket.emit("server:hello", serverHello({ protocol: socket.data.protocol }));
    socket.on("disconnect", disconnected);
  });
  return { close: () => connectionCounts.perUser.close() };
}
