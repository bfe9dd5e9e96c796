import { createServer, type IncomingMessage } from "node:http";
import type { Server as IoServer } from "socket.io";
import type { Logger } from "../logger.js";
import { isStreamed, isUploadPath, maxBodyBytes, STATUS_TEXT, type HttpRequest, type HttpApp } from "./router.js";
import { withSecurityHeaders } from "./securityHeaders.js";
import { payloadTooLarge, UploadBody } from "./uploadBody.js";
import type { Listening } from "./listening.js";

async function readBody(req: IncomingMessage, max: number): Promise<Buffer | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > max) return null;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

const LISTEN_ERRORS: Record<string, string> = {
  EADDRINUSE: "the port is in use by another process",
  EACCES: "permission denied (ports below 1024 need privileges)",
  EADDRNOTAVAIL: "the address is not available on this machine",
};

/** Serves HTTP routes and Socket.IO on node:http (Deno, or where the uWS binary does not load). */
export async function listenNode(io: IoServer, router: HttpApp, host: string, port: number, log: Logger): Promise<Listening> {
  const server = createServer((req, res) => {
    void (async () => {
      // An absolute-form target like `http://[::1` is not a valid URL: answer 400 (it used to throw out and kill the process).
      const url = URL.canParse(req.url ?? "/", "http://localhost") ? new URL(req.url ?? "/", "http://localhost") : null;
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(req.headers)) if (typeof v === "string") headers[k] = v;
      const method = (req.method ?? "GET").toUpperCase();
      const hasBody = method !== "GET" && method !== "HEAD";
      // An upload's body is left unread for the route, which reads it once it has checked who asks (issue 18); the
      // request stream's own backpressure holds the client meanwhile. Not destroyed when the route stops early.
      const upload =
        url !== null && hasBody && isUploadPath(url.pathname)
          ? new UploadBody(req.iterator({ destroyOnReturn: false }) as AsyncIterable<Uint8Array>, maxBodyBytes(url.pathname))
          : undefined;
      let out;
      let unread = false;
      try {
        const declared = Number(headers["content-length"] ?? 0);
        const max = maxBodyBytes(url?.pathname ?? "/");
        const body = declared > max ? null : upload ? new Uint8Array(0) : await readBody(req, max);
        if (url === null) {
          out = { status: 400, body: '{"error":{"code":"VALIDATION_FAILED","message":"Malformed request target."}}' };
        } else if (body === null) {
          unread = hasBody;
          out = payloadTooLarge();
        } else {
          const request: HttpRequest = {
            method,
            path: url.pathname,
            query: url.searchParams,
            headers,
            body,
            upload,
            ip: req.socket.remoteAddress ?? "",
          };
          out = await router.handle(request);
        }
      } catch (err) {
        // A client that went away mid-upload is not a server error (as on uWS): no error log for it.
        if (upload !== undefined && !upload.complete && (req.destroyed || req.socket.destroyed))
          log.debug({ path: url?.pathname }, "upload abandoned by the client");
        else log.error({ err, path: url?.pathname }, "http handler failed");
        out = { status: 500, body: '{"error":{"code":"INTERNAL","message":"Something went wrong."}}' };
      }
      out = withSecurityHeaders(out);
      const sent: Record<string, string | string[]> = { ...(out.headers ?? {}) };
      // Answered before the body was all read (refused, or past its cap): say so and close after the answer, so node
      // does not drain the rest of the client's body into the void (an unauthenticated client's megabytes).
      if (unread || (upload !== undefined && !upload.complete)) sent.connection = "close";
      if (typeof sent["set-cookie"] === "string") sent["set-cookie"] = sent["set-cookie"].split("\n");
      res.writeHead(out.status, STATUS_TEXT[out.status] ?? "", sent);
      const body = out.body;
      if (!isStreamed(body) || req.method === "HEAD") return void res.end(req.method === "HEAD" || isStreamed(body) ? undefined : body);
      // Pieces as they come (chunked), waiting for `drain` while the client is slower than the producer.
      try {
        for await (const piece of body) {
          if (res.destroyed) return;
          if (!res.write(piece))
            await new Promise<void>((resolve) => {
              res.once("drain", resolve);
              res.once("close", resolve);
            });
        }
        res.end();
      } catch (err) {
        // The status line is out: the only honest answer left is a cut connection.
        log.error({ err, path: url?.pathname }, "http stream failed");
        res.destroy();
      }
    })().catch((err: unknown) => {
      // Never an unobserved rejection: a client that vanished mid-body or a bad header value must not stop the process.
      log.warn({ err: String(err) }, "http request abandoned");
      res.destroy();
    });
  });
  io.attach(server);
  await new Promise<void>((resolve, reject) => {
    server.once("error", (err: NodeJS.ErrnoException) => reject(new Error(LISTEN_ERRORS[err.code ?? ""] ?? err.message)));
    server.listen({ port, host, exclusive: true }, () => resolve());
  });
  const address = server.address();
  return {
    port: typeof address === "object" && address ? address.port : port,
    transport: "node",
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections?.();
      }),
  };
}
