import type { Server as IoServer } from "socket.io";
import type { Logger } from "../logger.js";
import { isStreamed, isUploadPath, maxBodyBytes, STATUS_TEXT, type HttpRequest, type HttpApp } from "./router.js";
import { withSecurityHeaders } from "./securityHeaders.js";
import { payloadTooLarge, PushedBody, UploadBody } from "./uploadBody.js";
import { publishOncePerRoom } from "./uwsPublish.js";
import { attachWithBackpressureLimits, closeBeforePublishDrops, type Conn } from "./uwsBackpressure.js";
import type { Listening } from "./listening.js";

type Uws = typeof import("uWebSockets.js");

/** Loads the native uWebSockets.js binary; null when only its JS fallback (useless for Socket.IO) would load. */
export async function loadNativeUws(): Promise<Uws | null> {
  if ("Deno" in globalThis) return null;
  try {
    // The alias only works through its default (CommonJS) export.
    const mod = ((await import("uWebSockets.js")) as unknown as { default: Uws }).default;
    return /\[native code\]/.test(String(mod.App)) ? mod : null;
  } catch {
    return null;
  }
}

/** Serves HTTP routes and Socket.IO on one uWebSockets.js app. */
export async function listenUws(uws: Uws, io: IoServer, router: HttpApp, host: string, port: number, log: Logger): Promise<Listening> {
  const app = uws.App();
  // Each socket's backlog in uWS is capped, and a socket past it is closed rather than skipped (`uwsBackpressure.ts`).
  attachWithBackpressureLimits(app, (a) => io.attachApp(a));
  publishOncePerRoom(io, app);
  closeBeforePublishDrops(app, () => (io.engine as unknown as { clients: Record<string, Conn> }).clients);
  let closed = false;
  app.any("/*", (res, req) => {
    // A closed node still holds its clients' kept-alive connections (uWS closes only the listener): answer 503 and cut
    // the connection, so the client's next request reaches the node that listens now (issue 21: a desk kept getting
    // the stopped node's 500s after a restart on the same port).
    if (closed) {
      res.cork(() => res.writeStatus("503 Service Unavailable").end("", true));
      return;
    }
    let aborted = false;
    /** Resumes a stream waiting for the client to read, also when it went away. */
    let wake: (() => void) | undefined;
    res.onAborted(() => {
      aborted = true;
      wake?.();
      pushed?.fail(new Error("the client went away mid-upload"));
    });
    const method = req.getCaseSensitiveMethod().toUpperCase();
    const headers: Record<string, string> = {};
    req.forEach((k, v) => {
      headers[k] = v;
    });
    const url = req.getUrl();
    const query = new URLSearchParams(req.getQuery() ?? "");
    const ip = Buffer.from(res.getRemoteAddressAsText()).toString();
    const declared = Number(headers["content-length"] ?? 0);
    const chunks: Buffer[] = [];
    let size = 0;
    const max = maxBodyBytes(url);
    let tooLarge = declared > max;
    const hasBody = method !== "GET" && method !== "HEAD";
    // An upload's body is pushed here as it comes and pulled by the route once it has checked who asks (issue 18).
    const pushed =
      hasBody && !tooLarge && isUploadPath(url)
        ? new PushedBody({
            // Never on an aborted response (uWS throws): the reader may still drain pieces queued before the abort.
            pause: () => {
              if (!aborted) res.pause();
            },
            resume: () => {
              if (!aborted) res.resume();
            },
          })
        : null;
    const upload = pushed ? new UploadBody(pushed, max) : undefined;

    const respond = async (): Promise<void> => {
      const request: HttpRequest = { method, path: url, query, headers, body: Buffer.concat(chunks), upload, ip };
      let out;
      try {
        out = tooLarge ? payloadTooLarge() : await router.handle(request);
      } catch (err) {
        if (!aborted) log.error({ err, path: url }, "http handler failed");
        out = { status: 500, body: '{"error":{"code":"INTERNAL","message":"Something went wrong."}}' };
      }
      if (aborted) return;
      // Answered before the body was all read (refused, or past the cap): the rest is not read — the connection closes.
      const cut = (hasBody && tooLarge) || (upload !== undefined && !upload.complete);
      pushed?.drop();
      out = withSecurityHeaders(out);
      const body = out.body;
      res.cork(() => {
        res.writeStatus(`${out.status} ${STATUS_TEXT[out.status] ?? ""}`);
        // Several cookies travel as one "\n"-separated `set-cookie` value (HttpResponse headers are a flat record).
        for (const [k, v] of Object.entries(out.headers ?? {}))
          for (const line of k === "set-cookie" ? v.split("\n") : [v]) res.writeHeader(k, line);
        if (method === "HEAD") res.endWithoutBody();
        else if (!isStreamed(body)) res.end(body ?? "", cut);
      });
      if (method !== "HEAD" && isStreamed(body)) await stream(body);
    };

    /** Writes the pieces as they come (chunked), waiting while the client is slower than the producer. */
    const stream = async (body: AsyncIterable<string>): Promise<void> => {
      try {
        for await (const piece of body) {
          if (aborted) return;
          let ok = true;
          res.cork(() => {
            ok = res.write(piece);
          });
          if (!ok) {
            await new Promise<void>((resolve) => {
              wake = resolve;
              res.onWritable(() => (resolve(), true));
            });
            wake = undefined;
          }
        }
        if (!aborted) res.cork(() => res.end());
      } catch (err) {
        // The status line is out: the only honest answer left is a cut connection.
        log.error({ err, path: url }, "http stream failed");
        if (!aborted) res.close();
      }
    };

    if (!hasBody || tooLarge) {
      void respond();
      return;
    }
    if (pushed) {
      res.onData((chunk, isLast) => pushed.push(new Uint8Array(chunk.slice(0)), isLast));
      void respond();
      return;
    }
    res.onData((chunk, isLast) => {
      size += chunk.byteLength;
      if (size > max) tooLarge = true;
      else chunks.push(Buffer.from(chunk.slice(0)));
      if (isLast) void respond();
    });
  });

  // Exclusive: by default uSockets sets SO_REUSEPORT, and a second node on a taken port bound it too (two
  // listeners sharing connections, each with its own rooms and secret).
  // The binary takes (host, port, options, cb) and exports the flag as a value; its typings know neither.
  const exclusive = (uws as unknown as { LIBUS_LISTEN_EXCLUSIVE_PORT: number }).LIBUS_LISTEN_EXCLUSIVE_PORT;
  const listenWith = app.listen as unknown as (host: string, port: number, options: number, cb: (s: unknown) => void) => unknown;
  const socket = await new Promise<unknown>((resolve, reject) => {
    listenWith.call(app, host, port, exclusive, (s) =>
      s ? resolve(s) : reject(new Error("the port is in use by another process, or the address is not available here")),
    );
  });
  const actualPort = uws.us_socket_local_port(socket as never);
  return {
    port: actualPort,
    transport: "uws",
    close: async () => {
      closed = true;
      uws.us_listen_socket_close(socket as never);
    },
  };
}
