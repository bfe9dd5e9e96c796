import { randomUUID } from "node:crypto";
import { noAnswer, type NodeBus, type RemoteReply, type RemoteRequest } from "../../rooms/coordination.js";
import { keys } from "../../rooms/keys.js";
import type { Logger } from "../logger.js";
import type { RedisClient } from "../redis.js";

type Envelope = { id: string; from: string; request: RemoteRequest; expectsReply: boolean };

/**
 * Node-to-node requests over Redis pub/sub: each node listens on its own request channel and
 * replies on the asker's reply channel. A request the owner does not answer in time resolves {@link noAnswer}
 * (outcome unknown: the router asks again with the same commandId).
 *
 * Requests (and replies) to one node within one event-loop turn travel as one message, a JSON array: a storm of
 * forwarded commands costs the cluster one publish and one decode per target node a turn, not one per command.
 * A message of one is sent bare, as before.
 */
export class RedisBus implements NodeBus {
  private readonly waiting = new Map<string, (reply: RemoteReply) => void>();
  private sub: RedisClient | null = null;
  /** Messages of this turn per channel, published together on the next. */
  private outbox = new Map<string, string[]>();
  private flushing: ReturnType<typeof setImmediate> | null = null;

  constructor(
    private readonly pub: RedisClient,
    private readonly node: string,
    private readonly log: Logger,
  ) {}

  async serve(node: string, handler: (request: RemoteRequest) => Promise<RemoteReply>): Promise<void> {
    const sub = this.pub.duplicate();
    sub.on("error", () => undefined);
    await sub.connect();
    this.sub = sub;
    await sub.subscribe(keys.nodeReplies(node), (raw) => {
      for (const { id, reply } of unbatch<{ id: string; reply: RemoteReply }>(raw)) this.waiting.get(id)?.(reply);
    });
    await sub.subscribe(keys.nodeRequests(node), (raw) => {
      for (const env of unbatch<Envelope>(raw)) {
        void handler(env.request).then(
          (reply) => {
            if (env.expectsReply) this.send(keys.nodeReplies(env.from), JSON.stringify({ id: env.id, reply }));
          },
          (err: unknown) => this.log.error({ err, request: env.request.kind }, "remote request failed"),
        );
      }
    });
  }

  /** Queues a message for `channel`; this turn's messages to it leave together. */
  private send(channel: string, message: string): void {
    let queued = this.outbox.get(channel);
    if (!queued) this.outbox.set(channel, (queued = []));
    queued.push(message);
    this.flushing ??= setImmediate(() => this.flush());
  }

  private flush(): void {
    if (this.flushing) clearImmediate(this.flushing);
    this.flushing = null;
    const out = this.outbox;
    this.outbox = new Map();
    for (const [channel, messages] of out) void this.publish(channel, messages.length === 1 ? messages[0]! : `[${messages.join(",")}]`);
  }

  private async publish(channel: string, message: string): Promise<void> {
    try {
      await this.pub.publish(channel, message);
    } catch (err) {
      this.log.warn({ err: String(err), channel }, "redis publish failed");
    }
  }

  request(node: string, request: RemoteRequest, timeoutMs: number): Promise<RemoteReply> {
    const id = randomUUID();
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.waiting.delete(id);
        resolve(noAnswer(node));
      }, timeoutMs);
      this.waiting.set(id, (reply) => {
        clearTimeout(timer);
        this.waiting.delete(id);
        resolve(reply);
      });
      this.send(keys.nodeRequests(node), JSON.stringify({ id, from: this.node, request, expectsReply: true } satisfies Envelope));
    });
  }

  notify(node: string, request: RemoteRequest): void {
    this.send(
      keys.nodeRequests(node),
      JSON.stringify({ id: randomUUID(), from: this.node, request, expectsReply: false } satisfies Envelope),
    );
  }

  async close(): Promise<void> {
    this.flush();
    await this.sub?.quit().catch(() => undefined);
  }
}

/** The messages of one pub/sub message: a batch (JSON array) or one bare message. */
function unbatch<T>(raw: string): T[] {
  const parsed = JSON.parse(raw) as T | T[];
  return Array.isArray(parsed) ? parsed : [parsed];
}
