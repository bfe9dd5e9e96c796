/**
 * An upload's body (issue 18): not read by the transport, but handed to the route unread, so the route checks who
 * asks, their role and their rate limit first and reads the body only then — in pieces, refused once past the route's
 * cap. A route that answers without reading it all leaves the transport to close the connection (never to buffer or
 * drain an unauthenticated client's megabytes). A body not read to its end within {@link UPLOAD_READ_DEADLINE_MS} of its
 * request is refused with 408 (a trickled upload does not keep a check made at its start valid for minutes).
 */

/** The longest an upload's body may take to arrive, from its request's start. */
export const UPLOAD_READ_DEADLINE_MS = 60_000;

/** Thrown while reading an upload once it is past its cap. */
export class BodyTooLarge extends Error {
  constructor(readonly max: number) {
    super(`request body over ${max} bytes`);
  }
}

/** Thrown while reading an upload still unfinished at its deadline. */
export class BodyTimedOut extends Error {
  constructor(readonly ms: number) {
    super(`request body not read within ${ms} ms`);
  }
}

/** The 408 of a body too slow to arrive. */
export const requestTimedOut = () => ({
  status: 408,
  headers: { "content-type": "application/json; charset=utf-8", "cache-control": "no-store" },
  body: JSON.stringify({ error: { code: "REQUEST_TIMEOUT", message: "The upload took too long — try again on a faster connection." } }),
});

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
  private readonly deadline: number;

  constructor(
    private readonly source: AsyncIterable<Uint8Array>,
    readonly max: number,
    private readonly deadlineMs = UPLOAD_READ_DEADLINE_MS,
  ) {
    this.deadline = Date.now() + deadlineMs;
  }

  /**
   * The pieces; throws {@link BodyTooLarge} as soon as the bytes read pass the cap, {@link BodyTimedOut} once the
   * deadline passes before the end. Once per request.
   */
  async *pieces(): AsyncGenerator<Uint8Array, void, undefined> {
    if (this.started) throw new Error("an upload's body is read once");
    this.started = true;
    const source = this.source[Symbol.asyncIterator]();
    let size = 0;
    try {
      for (;;) {
        const next = await this.beforeDeadline(source.next());
        if (next.done) break;
        size += next.value.byteLength;
        if (size > this.max) throw new BodyTooLarge(this.max);
        if (next.value.byteLength > 0) yield next.value;
      }
      this.complete = true;
    } finally {
      // Stopped early (refused, timed out, the reader gone): the source is not read further (its pending piece, if any, is dropped).
      if (!this.complete) void source.return?.()?.catch(() => undefined);
    }
  }

  private beforeDeadline<T>(next: Promise<T>): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new BodyTimedOut(this.deadlineMs)), Math.max(0, this.deadline - Date.now()));
    });
    return Promise.race([next, late]).finally(() => clearTimeout(timer));
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
    else if (this.queued > this.highWater && !this.paused) this.flowing(false);
    this.wake?.();
  }

  /** The client went away: a reader waiting for more gets `err`, and the (aborted) response is never paused or resumed again. */
  fail(err: Error): void {
    this.failure = err;
    this.wake?.();
  }

  private flowing(resume: boolean): void {
    this.paused = !resume;
    if (!this.failure) (resume ? this.flow.resume : this.flow.pause).call(this.flow);
  }

  /** The route answered: the rest is not wanted (the transport closes the connection), and a paused client resumes. */
  drop(): void {
    this.dropped = true;
    this.queue.length = 0;
    this.queued = 0;
    if (this.paused) this.flowing(true);
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<Uint8Array, void, undefined> {
    for (;;) {
      const next = this.queue.shift();
      if (next) {
        this.queued -= next.byteLength;
        if (this.paused && this.queued <= this.highWater / 2) this.flowing(true);
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
