/** The seeded generator of hostile frames: which category comes next, and the frame of each category. */
import { CommandSchemas } from "../../../domain/protocol/commands.js";
import { FeedCommandSchemas } from "../../../domain/protocol/feed.js";
import { QuerySchemas } from "../../../domain/protocol/queries.js";
import { SetupSchemas } from "../../../domain/protocol/setup.js";
import { Dice } from "./dice.js";
import { Categories, judge, type Category, type FuzzFrame, type FuzzTargets } from "./frames.js";
import {
  BidiOverrides,
  bytes,
  isRecord,
  junk,
  KeyNames,
  manyKeys,
  mutate,
  PrototypeKeys,
  put,
  Unstorable,
  Weird,
  wrongType,
} from "./hostileValues.js";
import { commandId, memberIdFor, room, roomFor, TextFields, validPayload } from "./payloads.js";

const CommandTypes = Object.keys(CommandSchemas);
const QueryTypes = [...Object.keys(QuerySchemas), ...Object.keys(FeedCommandSchemas), ...Object.keys(SetupSchemas)];

/** A seeded, endless stream of hostile frames for one lane. */
export class FrameGenerator {
  private readonly d: Dice;
  /** Dice for payload contents added later, so the frame sequence of existing seeds stays as it was. */
  private readonly side: Dice;
  private ackSeq = 0;
  /** A member id to aim at (the mutations draw from the same dice). */
  private readonly memberId = () => memberIdFor(this.d, this.t);

  constructor(
    seed: number,
    private readonly t: FuzzTargets,
  ) {
    this.d = new Dice(seed);
    this.side = new Dice(seed ^ 0x5eed);
  }

  /** The next frame. */
  next(): FuzzFrame {
    return this.frame(this.category());
  }

  /** `n` commands and joins to send back to back, faster than any rate limit. */
  flood(n: number): FuzzFrame[] {
    return Array.from({ length: n }, () => {
      const roll = this.d.int(0, 2);
      if (roll === 0) return this.event("flood", "room:join", { room: `class:${this.d.uuid()}` });
      return this.event("flood", "command", roll === 1 ? this.junkEnvelope() : this.mutatedEnvelope(1));
    });
  }

  private category(): keyof typeof Categories {
    const entries = Object.entries(Categories) as [keyof typeof Categories, number][];
    let roll = this.d.int(
      1,
      entries.reduce((s, [, w]) => s + w, 0),
    );
    for (const [c, w] of entries) if ((roll -= w) <= 0) return c;
    return "payload-mutation";
  }

  private frame(category: keyof typeof Categories): FuzzFrame {
    const d = this.d;
    switch (category) {
      case "envelope-types": {
        const env = this.validEnvelope();
        for (let i = d.int(1, 2); i > 0; i--) env[d.pick(["commandId", "room", "type", "payload"])] = wrongType(this.d);
        return this.event(category, "command", env);
      }
      case "envelope-shape": {
        const roll = d.int(0, 3);
        if (roll === 0) return this.event(category, "command", junk(this.d, 0));
        if (roll === 1) return this.event(category, "command", ...Array.from({ length: d.int(0, 3) }, () => junk(this.d, 1)));
        const env = this.validEnvelope();
        if (roll === 2) for (let i = d.int(1, 3); i > 0; i--) delete env[d.pick(["commandId", "room", "type", "payload"])];
        else put(env, d.pick(KeyNames), junk(this.d, 1));
        return this.event(category, "command", env);
      }
      case "payload-mutation":
        return this.event(category, "command", this.mutatedEnvelope(d.int(0, 3)));
      case "query": {
        const type = d.pick([...QueryTypes, ...QueryTypes, d.pick(PrototypeKeys)]);
        const env: Record<string, unknown> = {
          commandId: commandId(this.d),
          room: room(this.d, this.t),
          type,
          payload: validPayload(this.d, this.side, this.t, type),
        };
        for (let i = d.int(0, 2); i > 0; i--) env.payload = mutate(this.d, env.payload, this.memberId);
        return this.event(category, "command", env);
      }
      case "join-leave": {
        const arg = d.pick([
          () => junk(this.d, 0),
          () => ({ room: room(this.d, this.t) }),
          () => ({ room: room(this.d, this.t), since: junk(this.d, 1) }),
          () => put({ room: room(this.d, this.t) }, d.pick(KeyNames), 1),
        ])();
        return this.event(category, d.chance(0.7) ? "room:join" : "room:leave", arg);
      }
      case "huge-within-limit":
      case "huge-beyond-limit": {
        const limit = this.t.maxPayloadBytes;
        const size = category === "huge-within-limit" ? d.int(Math.floor(limit / 4), limit - 1_500) : d.int(limit + 512, limit * 8);
        const env = this.validEnvelope();
        const roll = d.int(0, 3);
        const big =
          roll === 0
            ? d.text(1, "x").repeat(size)
            : roll === 1
              ? Array.from({ length: Math.floor(size / 2) }, () => 1)
              : roll === 2
                ? manyKeys(Math.floor(size / 12))
                : d.text(Math.floor(size / 3));
        if (d.chance(0.5) && isRecord(env.payload))
          env.payload[d.pick(["sessionId", "reason", "q", "weekdays", "exceptions", "extra"])] = big;
        else env[d.pick(["commandId", "room", "type"])] = big;
        return this.event(category, "command", env);
      }
      case "deep-nesting": {
        const open = d.chance(0.5) ? "[" : '{"a":';
        // Mostly as deep as fits the frame limit; one in ten beyond it.
        const fits = Math.floor((this.t.maxPayloadBytes - 600) / (open.length + 1));
        const depth = d.chance(0.9) ? d.int(100, fits) : d.int(fits + 200, fits * 4);
        const close = open === "[" ? "]" : "}";
        const nested = `${open.repeat(depth)}1${close.repeat(depth)}`;
        const env = this.validEnvelope();
        const field = d.pick(["payload", "room", "commandId"]);
        const json = JSON.stringify(["command", { ...env, [field]: "@@" }]).replace('"@@"', nested);
        return this.textEvent(category, json);
      }
      case "unicode": {
        const env = this.validEnvelope();
        const weird = d.pick(Weird);
        const field = d.pick(["commandId", "room", "type", "payload"]);
        if (field === "payload" && isRecord(env.payload)) env.payload[d.pick([...Object.keys(env.payload), "q", "reason", "code"])] = weird;
        else env[field] = `${String(env[field])}${weird}`;
        const frame = this.event(category, "command", env);
        // Half the time put the lone surrogate on the wire unescaped (it goes out as U+FFFD).
        if (d.chance(0.5)) frame.wire[0]!.data = (frame.wire[0]!.data as string).replace(/\\ud[89ab][0-9a-f]{2}/i, "\ud800");
        return frame;
      }
      case "unstorable-text": {
        // An otherwise valid payload of a command or query that stores or searches text, one text field made unstorable.
        const type = d.pick(Object.keys(TextFields));
        const text = `${d.chance(0.5) ? d.pick(BidiOverrides) : ""}${d.text(d.int(0, 12))}${d.pick(Unstorable)}${d.text(d.int(0, 12))}`;
        const payload = TextFields[type]!(this.t, text, d);
        const frame = this.event(category, "command", { commandId: commandId(this.d), room: roomFor(this.d, this.t, type), type, payload });
        return frame.expect === "ack" ? { ...frame, mustRefuse: true } : frame;
      }
      case "invalid-utf8": {
        const text = Buffer.from(`42${++this.ackSeq}${JSON.stringify(["command", this.validEnvelope()])}`);
        const bad = d.pick([[0xff], [0xc0, 0xaf], [0xed, 0xa0, 0x80], [0xe2, 0x82], [0xf8, 0x88, 0x80, 0x80, 0x80]]);
        const at = d.int(3, text.length - 2);
        return {
          category,
          wire: [{ data: Buffer.concat([text.subarray(0, at), Buffer.from(bad), text.subarray(at)]), binary: false }],
          ackId: null,
          expect: "may-close",
        };
      }
      case "binary-attachment": {
        const id = ++this.ackSeq;
        const env = this.validEnvelope();
        const field = d.pick(["payload", "room", "commandId", "type"]);
        const count = d.pick([1, 1, 1, 2, 11]);
        const num = d.pick([0, 0, 0, 1, -1, 99, "0"]);
        const header = `45${count}-${id}${JSON.stringify(["command", { ...env, [field]: { _placeholder: true, num } }])}`;
        const sent = d.pick([count, count, count, count - 1]);
        const wire = [
          { data: header, binary: false },
          ...Array.from({ length: sent }, () => ({ data: bytes(this.d, d.int(0, 512)), binary: true })),
        ];
        const wellFormed = count === 1 && sent === 1 && num === 0;
        return { category, wire, ackId: wellFormed ? id : null, expect: wellFormed ? "ack" : "may-close" };
      }
      case "binary-raw":
        return { category, wire: [{ data: bytes(this.d, d.int(0, 2048)), binary: true }], ackId: null, expect: "may-close" };
      case "unknown-event": {
        const name = d.pick([
          "nope",
          "admin",
          "room:delete",
          "command ",
          "COMMAND",
          "room:join\u0000",
          "error",
          "__proto__",
          "toString",
          "x".repeat(300),
          1,
          0,
        ]);
        const id = ++this.ackSeq;
        return {
          category,
          wire: [{ data: `42${id}${JSON.stringify([name, this.validEnvelope()])}`, binary: false }],
          ackId: id,
          expect: "silent",
        };
      }
      case "ack-missing": {
        const event = d.pick(["command", "room:join", "room:leave"]);
        const arg = event === "command" ? this.mutatedEnvelope(d.int(0, 2)) : { room: room(this.d, this.t) };
        return { category, wire: [{ data: `42${JSON.stringify([event, arg])}`, binary: false }], ackId: null, expect: "silent" };
      }
      case "socketio-garbage": {
        const junk = d.pick([
          "4",
          "42",
          "42{",
          "42[",
          "42[]",
          "42[null]",
          "42{}",
          '42"command"',
          "47",
          "40",
          "40{}",
          "41",
          "43[]",
          "431[null]",
          "44{}",
          "45",
          "45-",
          "451-",
          "45x-[]",
          '4/admin,["command",{}]',
          "4/admin,0{}",
          "42-1[]",
          '4299999999999999999999["command",{}]',
          `42${"9".repeat(400)}[]`,
          `42[${'"command",'.repeat(200)}0]`,
        ]);
        return { category, wire: [{ data: junk, binary: false }], ackId: null, expect: "may-close" };
      }
      case "engineio-garbage": {
        const junk = d.pick(["", "9", "x", "0", "1", "2", "3", "5", "6", "2probe", "3probe", "0{}", "7{}", "\u0000", d.text(d.int(1, 40))]);
        return { category, wire: [{ data: junk, binary: false }], ackId: null, expect: "may-close" };
      }
    }
  }

  /** A Socket.IO EVENT with an ack id; frames over the limit are expected to close the connection. */
  private event(category: Category, name: string, ...args: unknown[]): FuzzFrame {
    if (name === "command" && args.length > 0) {
      const verdict = judge(this.t, args[0]);
      if (verdict.writes)
        args[0] = { ...(args[0] as object), payload: put({ ...(args[0] as { payload: object }).payload }, "fuzzed", true) };
      const frame = this.textEvent(category, JSON.stringify([name, ...args]));
      return verdict.knownIssue ? { ...frame, knownIssue: verdict.knownIssue } : frame;
    }
    return this.textEvent(category, JSON.stringify([name, ...args]));
  }

  private textEvent(category: Category, json: string): FuzzFrame {
    const id = ++this.ackSeq;
    const data = `42${id}${json}`;
    const fits = Buffer.byteLength(data) <= this.t.maxPayloadBytes - 64;
    return { category, wire: [{ data, binary: false }], ackId: fits ? id : null, expect: fits ? "ack" : "may-close" };
  }

  private validEnvelope(): Record<string, unknown> {
    const type = this.d.pick(CommandTypes);
    return {
      commandId: commandId(this.d),
      room: roomFor(this.d, this.t, type),
      type,
      payload: validPayload(this.d, this.side, this.t, type),
    };
  }

  private mutatedEnvelope(mutations: number): Record<string, unknown> {
    const env = this.validEnvelope();
    if (this.d.chance(0.15))
      env.type = this.d.pick([...PrototypeKeys, "class:nope", "gym:me ", "CLASS:BOOK", "class:updateSession", "class:book\u0000"]);
    if (this.d.chance(0.2)) env.room = room(this.d, this.t);
    for (let i = 0; i < mutations; i++) env.payload = mutate(this.d, env.payload, this.memberId);
    return env;
  }

  private junkEnvelope(): unknown {
    return this.d.chance(0.5)
      ? junk(this.d, 0)
      : { commandId: wrongType(this.d), room: room(this.d, this.t), type: this.d.pick(CommandTypes), payload: {} };
  }
}
