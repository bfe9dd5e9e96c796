/**
 * The wire's share of a command, paid before the node serves (issue 15): in a fresh node's first booking storm
 * Engine.IO's and Socket.IO's packet codecs (`decodePacket`, the decoder's `add`, the encoder's `hasBinary` walk of
 * every ack, `encodeAsString`) ran unoptimised and were compiled by TurboFan during the storm. Here the codecs the
 * node's Socket.IO itself loads decode the frames a client sends for the warm-up's commands and encode the rooms'
 * real answers as acks: in memory, no socket, nothing sent.
 */
import { createRequire } from "node:module";

type Packet = { type: number; nsp: string; id?: number; data?: unknown };
interface Codecs {
  encode(packet: Packet): unknown[];
  /** The packet's arguments (`["command", envelope]`) as Socket.IO hands them to the handler; undefined if none. */
  decode(frame: string): unknown[] | undefined;
}

const EVENT = 2;
const ACK = 3;

/** The codecs of the node's own Socket.IO (the copies its server uses), or undefined when they cannot be loaded. */
export function transportCodecs(): Codecs | undefined {
  try {
    const require = createRequire(import.meta.url);
    const fromSocketIo = createRequire(require.resolve("socket.io"));
    const parser = fromSocketIo("socket.io-parser") as {
      Encoder: new () => { encode(packet: Packet): unknown[] };
      Decoder: new () => { add(frame: string): void; on(event: "decoded", fn: (packet: Packet) => void): unknown };
    };
    const engine = createRequire(fromSocketIo.resolve("engine.io"))("engine.io-parser") as {
      decodePacket(frame: string): { type: string; data?: unknown };
    };
    const encoder = new parser.Encoder();
    // One decoder per connection in Socket.IO; one here for every frame.
    const decoder = new parser.Decoder();
    const last: { packet?: Packet } = {};
    decoder.on("decoded", (packet) => void (last.packet = packet));
    return {
      encode: (packet) => encoder.encode(packet),
      decode: (frame) => {
        delete last.packet;
        const packet = engine.decodePacket(frame);
        // A text packet decodes at once (synchronously); only binary attachments would wait for more frames.
        if (packet.type === "message" && typeof packet.data === "string") decoder.add(packet.data);
        const data = (last as { packet?: Packet }).packet?.data;
        return Array.isArray(data) ? (data as unknown[]) : undefined;
      },
    };
  } catch {
    return undefined;
  }
}

let nextId = 0;

/** Each command decoded from the frame a client sends it in (`emit("command", command, ack)`): the handler's argument. */
export function decodeCommands(codecs: Codecs, commands: readonly object[]): unknown[] {
  return commands.map((command) => {
    nextId = (nextId + 1) % 100_000;
    return codecs.decode(`4${EVENT}${nextId}${JSON.stringify(["command", command])}`)?.[1];
  });
}

/** Each answer encoded as its ack (nothing sent). */
export function encodeAcks(codecs: Codecs, answers: readonly unknown[]): void {
  for (const answer of answers) {
    nextId = (nextId + 1) % 100_000;
    // Built as Socket.IO's `ack` builds it (then its `packet` names the namespace): the encoder sees the same shape.
    const packet = { id: nextId, type: ACK, data: [answer] } as Packet;
    packet.nsp = "/";
    codecs.encode(packet);
  }
}
