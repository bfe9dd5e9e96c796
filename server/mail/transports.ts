/**
 * Where mail goes: SMTP through nodemailer (`SMTP_URL`), or — embedded mode without SMTP — the dev mailbox, JSON
 * files in DATA_DIR/dev-mail that the staff app shows at /admin/dev-mail (a mail catcher with nothing to install).
 */
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import nodemailer from "nodemailer";

export interface OutgoingMail {
  id: string;
  from: string;
  to: string;
  subject: string;
  text: string;
  html: string;
}

export interface MailTransport {
  readonly kind: "smtp" | "dev-mailbox";
  send(mail: OutgoingMail): Promise<void>;
  close(): void;
}

/** SMTP with nodemailer; a pooled connection, short timeouts (a stuck server must not hold the outbox for minutes). */
export function smtpTransport(url: string): MailTransport {
  const transporter = nodemailer.createTransport(url, {
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 20_000,
  } as never);
  return {
    kind: "smtp",
    async send(m) {
      await transporter.sendMail({
        from: m.from,
        to: m.to,
        subject: m.subject,
        text: m.text,
        html: m.html,
        messageId: `<${m.id}@spotter>`,
      });
    },
    close: () => transporter.close(),
  };
}

/** A message as the dev mailbox keeps it. */
export interface DevMessage extends OutgoingMail {
  at: number;
}

/** How many messages the dev mailbox keeps (the oldest are removed). */
const DEV_MAILBOX_KEEP = 200;

export class DevMailbox implements MailTransport {
  readonly kind = "dev-mailbox" as const;
  private readonly dir: string;

  constructor(
    dataDir: string,
    private readonly now: () => number,
  ) {
    this.dir = join(dataDir, "dev-mail");
    mkdirSync(this.dir, { recursive: true, mode: 0o700 });
  }

  async send(m: OutgoingMail): Promise<void> {
    const at = this.now();
    writeFileSync(join(this.dir, `${String(at).padStart(15, "0")}-${m.id}.json`), JSON.stringify({ ...m, at } satisfies DevMessage), {
      mode: 0o600,
    });
    const files = this.files();
    for (const old of files.slice(0, Math.max(0, files.length - DEV_MAILBOX_KEEP))) rmSync(join(this.dir, old), { force: true });
  }

  /** Newest first. */
  list(limit = 50): DevMessage[] {
    return this.files()
      .reverse()
      .slice(0, limit)
      .flatMap((f) => {
        try {
          return [JSON.parse(readFileSync(join(this.dir, f), "utf8")) as DevMessage];
        } catch {
          return [];
        }
      });
  }

  close(): void {}

  private files(): string[] {
    return readdirSync(this.dir)
      .filter((f) => f.endsWith(".json"))
      .sort();
  }
}
