/**
 * A local Web Push service (RFC 8030) for tests and the bench: a device subscribes with real keys (a P-256 key pair and an auth
 * secret, as a browser makes them); the service takes the server's push requests, checks their VAPID signature
 * (RFC 8292) and decrypts them with the device's keys (RFC 8291, `aes128gcm` of RFC 8188) — with node:crypto alone,
 * so nothing of `web-push` checks `web-push`.
 */
import { createECDH, createDecipheriv, createHmac, createPublicKey, randomBytes, verify } from "node:crypto";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import type { IncomingHttpHeaders } from "node:http";
import { createServer, type Server } from "node:https";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** A device's subscription as `PushSubscription.toJSON()` gives it, and its private half. */
export interface TestDevice {
  endpoint: string;
  keys: { p256dh: string; auth: string };
  /** Messages this device received, decrypted, in arrival order. */
  received: { text: string; headers: IncomingHttpHeaders; audience: string; at: number }[];
  /** Called as each message arrives (after it was decrypted). */
  onReceive?: (text: string) => void;
  /** Answer the next pushes with this status (201 by default; 410 = the subscription is gone). */
  answer: number;
  /**
   * Called as a push's request arrives, before it is read; true drops the connection unanswered and unread (what the
   * service sees when the sending node dies before its push got through).
   */
  onArrive?: () => boolean;
}

export interface TestPushService {
  url: string;
  /** The service's self-signed certificate (PEM): pass it as the server's `pushCa` (push services speak only HTTPS). */
  certificate: string;
  device(): TestDevice;
  /** The certificate as a file (for a server process: `NODE_EXTRA_CA_CERTS`), removed by `close`. */
  certificateFile(): string;
  close(): Promise<void>;
}

const hmac = (key: Buffer, data: Buffer) => createHmac("sha256", key).update(data).digest();

/** RFC 8291 §3.4 and RFC 8188 §2: decrypts one `aes128gcm` message body with the device's keys. */
export function decryptAes128gcm(body: Buffer, device: { ecdh: ReturnType<typeof createECDH>; auth: Buffer }): string {
  const salt = body.subarray(0, 16);
  const rs = body.readUInt32BE(16);
  const idlen = body[20]!;
  const asPublic = body.subarray(21, 21 + idlen);
  const ciphertext = body.subarray(21 + idlen);
  if (idlen !== 65 || ciphertext.length > rs)
    throw new Error(`unexpected header: keyid ${idlen} bytes, record size ${rs}, ${ciphertext.length} bytes`);
  const uaPublic = device.ecdh.getPublicKey();
  const ecdhSecret = device.ecdh.computeSecret(asPublic);
  const prkKey = hmac(device.auth, ecdhSecret);
  const ikm = hmac(prkKey, Buffer.concat([Buffer.from("WebPush: info\0"), uaPublic, asPublic, Buffer.from([1])]));
  const prk = hmac(salt, ikm);
  const cek = hmac(prk, Buffer.from("Content-Encoding: aes128gcm\0\x01")).subarray(0, 16);
  const nonce = hmac(prk, Buffer.from("Content-Encoding: nonce\0\x01")).subarray(0, 12);
  const decipher = createDecipheriv("aes-128-gcm", cek, nonce);
  decipher.setAuthTag(ciphertext.subarray(ciphertext.length - 16));
  const padded = Buffer.concat([decipher.update(ciphertext.subarray(0, ciphertext.length - 16)), decipher.final()]);
  // The last record: data, then the delimiter 0x02, then zero padding.
  let end = padded.length - 1;
  while (end >= 0 && padded[end] === 0) end -= 1;
  if (padded[end] !== 2) throw new Error("no last-record delimiter");
  return padded.subarray(0, end).toString("utf8");
}

/** RFC 8292: `Authorization: vapid t=<JWT>, k=<public key>`; checks the ES256 signature and answers the JWT's `aud`. */
function checkVapid(header: string | undefined, now: number): string {
  const m = /^vapid t=([^,\s]+),\s*k=([A-Za-z0-9_-]+)$/.exec(header ?? "");
  if (!m) throw new Error(`no VAPID authorization: ${header}`);
  const [h, p, s] = m[1]!.split(".");
  const k = Buffer.from(m[2]!, "base64url");
  const key = createPublicKey({
    key: { kty: "EC", crv: "P-256", x: k.subarray(1, 33).toString("base64url"), y: k.subarray(33, 65).toString("base64url") },
    format: "jwk",
  });
  if (!verify("sha256", Buffer.from(`${h}.${p}`), { key, dsaEncoding: "ieee-p1363" }, Buffer.from(s!, "base64url")))
    throw new Error("bad VAPID signature");
  const claims = JSON.parse(Buffer.from(p!, "base64url").toString()) as { aud: string; exp: number; sub: string };
  if (claims.exp * 1000 < now) throw new Error("expired VAPID token");
  return claims.aud;
}

/** A throwaway self-signed certificate for 127.0.0.1 (the openssl command line; Node makes no X.509 certificates). */
function selfSigned(): { key: string; cert: string } {
  const dir = mkdtempSync(join(tmpdir(), "spotter-push-"));
  try {
    execFileSync(
      "openssl",
      [
        "req",
        "-x509",
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:prime256v1",
        "-nodes",
        "-days",
        "1",
        "-subj",
        "/CN=127.0.0.1",
        "-addext",
        "subjectAltName=IP:127.0.0.1",
        "-keyout",
        join(dir, "key.pem"),
        "-out",
        join(dir, "cert.pem"),
      ],
      { stdio: "ignore" },
    );
    return { key: readFileSync(join(dir, "key.pem"), "utf8"), cert: readFileSync(join(dir, "cert.pem"), "utf8") };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function startPushService(): Promise<TestPushService> {
  const devices = new Map<string, TestDevice & { ecdh: ReturnType<typeof createECDH>; authKey: Buffer }>();
  const tls = selfSigned();
  const server: Server = createServer(tls, (req, res) => {
    if (devices.get(req.url ?? "")?.onArrive?.()) return void req.socket.destroy();
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const device = devices.get(req.url ?? "");
      if (req.method !== "POST" || !device) return void res.writeHead(404).end();
      try {
        if (req.headers["content-encoding"] !== "aes128gcm") throw new Error(`content-encoding ${req.headers["content-encoding"]}`);
        if (!req.headers.ttl) throw new Error("no TTL");
        const audience = checkVapid(req.headers.authorization, Date.now());
        if (device.answer !== 201) return void res.writeHead(device.answer).end();
        const text = decryptAes128gcm(Buffer.concat(chunks), { ecdh: device.ecdh, auth: device.authKey });
        device.received.push({ text, headers: req.headers, audience, at: performance.now() });
        device.onReceive?.(text);
        res.writeHead(201, { location: `${device.endpoint}/m/${device.received.length}` }).end();
      } catch (err) {
        res.writeHead(400).end(String(err));
      }
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const url = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  let certDir: string | undefined;
  return {
    url,
    certificate: tls.cert,
    certificateFile() {
      certDir ??= mkdtempSync(join(tmpdir(), "spotter-push-ca-"));
      writeFileSync(join(certDir, "ca.pem"), tls.cert);
      return join(certDir, "ca.pem");
    },
    device() {
      const ecdh = createECDH("prime256v1");
      ecdh.generateKeys();
      const authKey = randomBytes(16);
      const path = `/push/${randomBytes(8).toString("hex")}`;
      const d = {
        endpoint: `${url}${path}`,
        keys: { p256dh: ecdh.getPublicKey().toString("base64url"), auth: authKey.toString("base64url") },
        received: [],
        answer: 201,
        ecdh,
        authKey,
      };
      devices.set(path, d);
      return d;
    },
    close: () =>
      new Promise<void>((r) => {
        if (certDir) rmSync(certDir, { recursive: true, force: true });
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
