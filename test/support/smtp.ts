/** A real SMTP server in-process (`smtp-server`) that keeps every message it accepts, decoded enough to read. */
import type { AddressInfo } from "node:net";
import { SMTPServer } from "smtp-server";

export interface ReceivedMail {
  to: string;
  raw: string;
  subject: string;
  /** The whole message with quoted-printable soft breaks and escapes undone. */
  body: string;
  /** The sign-in link's secret (`#signin=…`) and the 6-digit code, when the mail has them. */
  link: string | undefined;
  code: string | undefined;
}

export interface TestSmtp {
  url: string;
  messages: ReceivedMail[];
  /** Refuse the next `n` messages to `to` with a temporary failure (the outbox retries). */
  refuseNext(to: string, n: number): void;
  /** Waits for a message to `to` beyond the first `after` ones to that address. */
  next(to: string, after?: number): Promise<ReceivedMail>;
  close(): Promise<void>;
}

const decodeQp = (s: string) => s.replace(/=\r?\n/g, "").replace(/=([0-9A-F]{2})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16)));

export async function startSmtp(): Promise<TestSmtp> {
  const messages: ReceivedMail[] = [];
  const refuse = new Map<string, number>();
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS", "AUTH"],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (c: Buffer) => chunks.push(c));
      stream.on("end", () => {
        const to = session.envelope.rcptTo.map((r) => r.address).join(",");
        if ((refuse.get(to) ?? 0) > 0) {
          refuse.set(to, refuse.get(to)! - 1);
          return callback(Object.assign(new Error("Mailbox busy, try later"), { responseCode: 451 }));
        }
        const raw = Buffer.concat(chunks).toString("utf8");
        const body = decodeQp(raw);
        const subject = /^Subject: (.*)$/m.exec(raw)?.[1] ?? "";
        messages.push({
          to: session.envelope.rcptTo.map((r) => r.address).join(","),
          raw,
          subject,
          body,
          link: /#signin=([A-Za-z0-9_-]+)/.exec(body)?.[1],
          code: /Code: (\d{6})/.exec(body)?.[1],
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.server.address() as AddressInfo;
  return {
    url: `smtp://127.0.0.1:${port}`,
    messages,
    refuseNext: (to, n) => void refuse.set(to, n),
    async next(to, after = 0) {
      const deadline = Date.now() + 10_000;
      for (;;) {
        const mine = messages.filter((m) => m.to === to);
        if (mine.length > after) return mine[after]!;
        if (Date.now() > deadline) throw new Error(`no mail to ${to} within 10 s (got ${messages.length} in all)`);
        await new Promise((r) => setTimeout(r, 25));
      }
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
