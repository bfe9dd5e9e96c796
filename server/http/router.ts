import { MAX_PHOTO_BYTES, PHOTO_PATH } from "../../domain/protocol/photos.js";
import type { UploadBody } from "./uploadBody.js";

/** A transport-neutral HTTP request, so uWebSockets.js and node:http share every route. */
export interface HttpRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: Record<string, string>;
  /** The body, read by the transport before any route runs; empty on an upload route (see `upload`). */
  body: Uint8Array;
  /** Upload routes ({@link isUploadPath}): the body still unread, for the route to read after its checks. */
  upload?: UploadBody | undefined;
  ip: string;
}

export interface HttpResponse {
  status: number;
  headers?: Record<string, string>;
  /** A body in pieces is streamed as they come, with backpressure (large downloads). */
  body?: string | Uint8Array | AsyncIterable<string>;
}

/** Whether a body comes in pieces. */
export const isStreamed = (body: HttpResponse["body"]): body is AsyncIterable<string> =>
  typeof body === "object" && body !== null && Symbol.asyncIterator in body;

export type HttpHandler = (req: HttpRequest) => HttpResponse | Promise<HttpResponse>;

/** What a transport serves: a `Router`, or the start-up gate in front of one. */
export interface HttpApp {
  handle(req: HttpRequest): Promise<HttpResponse>;
}

/** Largest request body any route accepts; bigger requests get 413 before a handler runs. */
export const MAX_BODY_BYTES = 64 * 1024;

/** Largest upload (a member import's CSV: 20,000 rows of a few hundred bytes); read in pieces and refused once past it. */
export const MAX_UPLOAD_BYTES = 8 * 1024 * 1024;

/** The member import's upload route (`server/http/importRoutes.ts`). */
export const IMPORT_PATH = "/api/imports/members";

/** The upload routes of the plans-held and upcoming-bookings imports (same route file, same cap). */
export const PLAN_IMPORT_PATH = "/api/imports/plans";
export const BOOKING_IMPORT_PATH = "/api/imports/bookings";
export const CLASS_IMPORT_PATH = "/api/imports/classes";
export const VISIT_IMPORT_PATH = "/api/imports/visits";
const UploadPaths = new Set([IMPORT_PATH, PLAN_IMPORT_PATH, BOOKING_IMPORT_PATH, CLASS_IMPORT_PATH, VISIT_IMPORT_PATH]);

/** Member photos' upload route (`server/http/photoRoutes.ts`) and its cap, shared with the apps. */
export { MAX_PHOTO_BYTES, PHOTO_PATH };

/** Routes whose body the transport does not read: the route reads it (in pieces, capped) after checking who asks. */
export const isUploadPath = (path: string): boolean => UploadPaths.has(path) || path === PHOTO_PATH;

/** Upload routes take their own cap ({@link MAX_UPLOAD_BYTES}, {@link MAX_PHOTO_BYTES}); every other route {@link MAX_BODY_BYTES}. */
export const maxBodyBytes = (path: string): number =>
  UploadPaths.has(path) ? MAX_UPLOAD_BYTES : path === PHOTO_PATH ? MAX_PHOTO_BYTES : MAX_BODY_BYTES;

interface Route {
  method: string;
  path: string;
  prefix: boolean;
  handler: HttpHandler;
}

/** Exact and prefix routes; first match wins, so register specific routes before catch-alls. */
export class Router implements HttpApp {
  private readonly routes: Route[] = [];
  private readonly guards: ((req: HttpRequest) => Promise<HttpResponse | null>)[] = [];

  /** Runs `guard` before every route (and before a 404): a response from it is the answer. */
  use(guard: (req: HttpRequest) => Promise<HttpResponse | null>): this {
    this.guards.push(guard);
    return this;
  }

  get(path: string, handler: HttpHandler): this {
    return this.add("GET", path, handler);
  }

  post(path: string, handler: HttpHandler): this {
    return this.add("POST", path, handler);
  }

  /** `path` ending in `/*` matches the path and everything below it. */
  add(method: string, path: string, handler: HttpHandler): this {
    const prefix = path.endsWith("/*");
    this.routes.push({ method, path: prefix ? path.slice(0, -2) : path, prefix, handler });
    return this;
  }

  async handle(req: HttpRequest): Promise<HttpResponse> {
    for (const guard of this.guards) {
      const early = await guard(req);
      if (early) return early;
    }
    const route = this.routes.find(
      (r) =>
        (r.method === req.method || (r.method === "GET" && req.method === "HEAD")) &&
        (r.prefix ? req.path === r.path || req.path.startsWith(r.path === "" ? "/" : `${r.path}/`) : req.path === r.path),
    );
    if (!route) return json(404, { error: { code: "NOT_FOUND", message: "No such endpoint." } });
    return route.handler(req);
  }
}

/** A JSON response. */
export function json(status: number, value: unknown, headers: Record<string, string> = {}): HttpResponse {
  return {
    status,
    headers: { "content-type": "application/json; charset=utf-8", "cache-control": "no-store", ...headers },
    body: JSON.stringify(value),
  };
}

export const STATUS_TEXT: Record<number, string> = {
  200: "OK",
  204: "No Content",
  303: "See Other",
  304: "Not Modified",
  400: "Bad Request",
  401: "Unauthorized",
  403: "Forbidden",
  404: "Not Found",
  405: "Method Not Allowed",
  409: "Conflict",
  413: "Payload Too Large",
  429: "Too Many Requests",
  500: "Internal Server Error",
  503: "Service Unavailable",
};
