import type { Server as IoServer } from "socket.io";
import type { Logger } from "../logger.js";
import type { Listening } from "./listening.js";
import { listenNode } from "./nodeTransport.js";
import type { HttpApp } from "./router.js";
import { listenUws, loadNativeUws } from "./uwsTransport.js";

export type { Listening } from "./listening.js";

/** Starts uWebSockets.js when its native binary loads (or `node:http` when asked or when it does not). */
export async function listen(
  choice: "auto" | "uws" | "node",
  io: IoServer,
  router: HttpApp,
  host: string,
  port: number,
  log: Logger,
): Promise<Listening> {
  if (choice !== "node") {
    const uws = await loadNativeUws();
    if (uws) return listenUws(uws, io, router, host, port, log);
    if (choice === "uws") throw new Error("TRANSPORT=uws but the native uWebSockets.js binary does not load here");
    log.warn("uWebSockets.js native binary unavailable; serving on node:http");
  }
  return listenNode(io, router, host, port, log);
}
