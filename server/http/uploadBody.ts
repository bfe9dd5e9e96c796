/**
 * An upload's body (issue 18): not read by the transport, but handed to the route unread, so the route checks who
 * asks, their role and their rate limit first and reads the body only then — in pieces, refused once past the route's
 * cap. A route that answers without reading it all leaves the transport to close the connection (never to buffer or
 * drain an unauthenticated client's megabytes).
 */

/** Thrown while reading an upload once it is past its cap. */
export class BodyTooLarge extends Error {
  constructor(readonly max: number) {
    super(`request body over ${max} bytes`);
  }
}

/** The 413 of a body past its cap (declared or counted while reading). */
export const payloadTooLarge = () => ({
  status: 413,
  headers: { "content-type": "application/json; charset=utf-8", "cache-control": "no-store" },
  body: JSON.stringify({ error: { code: "PAYLOAD_TOO_LARGE", message: "Request body too large." } }),
});

/** A body read once, in pieces as they come, counted against `max`. */
export class UploadBody {
  private started = false;
  /** The body was read to its end (within the cap). Otherwise the transport closes the connection after answering. */
  complete = false;

  constructor(
    private readonly source: AsyncIterable<Uint8Array>,
    readonly max: number,
  ) {}

  /** The pieces; throws {@link BodyTooLarge} as soon as the bytes read pass the cap. Once per request. */
  async *pieces(): AsyncGenerator<Uint8Array, void, undefined> {
    if (this.started) throw new Error("an upload's body is read once");
    this.started = true;
    let size = 0;
    for await (const piece of this.source) {
      size += piece.byteLength;
      if (size > this.max) throw new BodyTooLarge(this.max);
      if (piece.byteLength > 0) yield piece;
    }
    this.complete = true;
  }

  /** The whole body, or null once past the cap. */
  async bytes(): Promise<Uint8Array | null> {
    const chunks: Uint8Array[] = [];
    try {
      for await (const piece of this.pieces()) chunks.push(piece);
    } catch (err) {
      if (err instanceof BodyTooLarge) return null;
      throw err;
    }
    return Buffer.concat(chunks);
  }
}

/** The pieces of a request's body: its upload when the transport streams it, otherwise the body read already. */
export function bodyPieces(req: { body: Uint8Array; upload?: UploadBody | undefined }): AsyncIterable<Uint8Array> {
  return req.upload
    ? req.upload.pieces()
    : (async function* () {
        yield req.body;
      })();
}

/**
 * A body the transport pushes (uWebSockets.js `onData`) and the route pulls: while more than `highWater` bytes wait
 * to be read, the client is paused, so a route that has not started reading holds at most that much.
 */
export class PushedBody implements AsyncIterable<Uint8Array> {
  private readonly queue: Uint8Array[] = [];
  private queued = 0;
  private ended = false;
  private dropped = false;
  private paused = false;
  private failure: Error | null = null;
  private wake: (() => void) | undefined;

  constructor(
    private readonly flow: { pause(): void; resume(): void },
    private readonly highWater = 64 * 1024,
  ) {}

  /** A piece from the client (the transport's copy: uWS reuses its buffer). */
  push(piece: Uint8Array, last: boolean): void {
    if (this.dropped) return;
    this.queue.push(piece);
    this.queued += piece.byteLength;
    if (last) this.ended = true;
    else if (this.queued > this.highWater && !this.paused) {
      this.paused = true;
      this.flow.pause();
    }
    this.wake?.();
  }

  /** The client went away: a reader waiting for more gets `err`. */
  fail(err: Error): void {
    this.failure = err;
    this.wake?.();
  }

  /** The route answered: the rest is not wanted (the transport closes the connection), and a paused client resumes. */
  drop(): void {
    this.dropped = true;
    this.queue.length = 0;
    this.queued = 0;
    if (this.paused) {
      this.paused = false;
      this.flow.resume();
    }
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<Uint8Array, void, undefined> {
    for (;;) {
      const next = this.queue.shift();
      if (next) {
        this.queued -= next.byteLength;
        if (this.paused && this.queued <= this.highWater / 2) {
          this.paused = false;
          this.flow.resume();
        }
        yield next;
        continue;
      }
      if (this.failure) throw this.failure;
      if (this.ended || this.dropped) return;
      await new Promise<void>((resolve) => (this.wake = resolve));
      this.wake = undefined;
    }
  }
}
