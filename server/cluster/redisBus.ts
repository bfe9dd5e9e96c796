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
 */
export class RedisBus implements NodeBus {
  private readonly waiting = new Map<string, (reply: RemoteReply) => void>();
  private sub: RedisClient | null = null;

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
      const { id, reply } = JSON.parse(raw) as { id: string; reply: RemoteReply };
      this.waiting.get(id)?.(reply);
    });
    await sub.subscribe(keys.nodeRequests(node), (raw) => {
      const env = JSON.parse(raw) as Envelope;
      void handler(env.request).then(
        (reply) => {
          if (env.expectsReply) void this.publish(keys.nodeReplies(env.from), JSON.stringify({ id: env.id, reply }));
        },
        (err: unknown) => this.log.error({ err, request: env.request.kind }, "remote request failed"),
      );
    });
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
      void this.publish(keys.nodeRequests(node), JSON.stringify({ id, from: this.node, request, expectsReply: true } satisfies Envelope));
    });
  }

  notify(node: string, request: RemoteRequest): void {
    void this.publish(
      keys.nodeRequests(node),
      JSON.stringify({ id: randomUUID(), from: this.node, request, expectsReply: false } satisfies Envelope),
    );
  }

  async close(): Promise<void> {
    await this.sub?.quit().catch(() => undefined);
  }
}
