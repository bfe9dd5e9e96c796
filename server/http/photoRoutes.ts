/**
 * Member photos for the desk (issue 18): `POST /api/photos/member?gym=<id>&member=<id>` with the image as the body (at
 * most {@link MAX_PHOTO_BYTES}, read in pieces by the transport — not the 64 KiB message limit), and `GET` the same path
 * for the image. Staff of the gym upload and see any member's; a member their own. JPEG, PNG or WebP only: the
 * declared type must match the file's first bytes. Bearer header, the app's `X-Spotter: 1` on uploads, per-user rate
 * limit, and a member's own uploads their own budget ({@link PhotoRouteDeps.selfUploads}) — all checked before the
 * image is read, which is then read in pieces and refused with 413 once past the cap; a staff upload is audited,
 * and each member keeps one photo (replaced), so storage stays bounded. After a save the desk and the member's own
 * screens are told ({@link PhotoRouteDeps.changed}).
 */
import { z } from "zod";
import { UuidSchema } from "../../domain/protocol/envelope.js";
import { isStaffRole } from "../../domain/roles.js";
import type { TokenVerifier } from "../auth.js";
import type { MemberPhotos } from "../../app/admin/memberPhotos.js";
import type { AccessControl } from "../realtime/access.js";
import { bearer } from "./factorHttp.js";
import { tooManyRequests, type HttpLimits } from "./httpLimits.js";
import type { RateLimitStore } from "../cluster/rateLimit.js";
import { json, MAX_PHOTO_BYTES, PHOTO_PATH, type HttpRequest, type HttpResponse, type Router } from "./router.js";
import { crossSite } from "./sessionCookies.js";
import { bodyPieces, BodyTimedOut, BodyTooLarge, requestTimedOut } from "./uploadBody.js";

export interface PhotoRouteDeps {
  photos: MemberPhotos;
  access: AccessControl;
  verifier: TokenVerifier;
  limits: HttpLimits;
  /** A member replacing their own photo: per member per gym (staff at the desk have only the per-user limit). */
  selfUploads: RateLimitStore;
  /** The photo was stored: the desk (its member facts) and the member's own screens hear of it. */
  changed: (gymId: string, memberId: string) => void;
  now: () => number;
}

const Query = z.object({ gym: UuidSchema, member: UuidSchema });

/** The image types accepted, each with the bytes its files start with. */
const Signatures: Record<string, (b: Uint8Array) => boolean> = {
  "image/jpeg": (b) => b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff,
  "image/png": (b) => [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a].every((v, i) => b[i] === v),
  "image/webp": (b) => String.fromCharCode(...b.slice(0, 4)) === "RIFF" && String.fromCharCode(...b.slice(8, 12)) === "WEBP",
};

export function addPhotoRoutes(router: Router, d: PhotoRouteDeps): void {
  const photos = d.photos;

  /** Who asks, about whom: staff of the gym (any member of it) or the member themself; an answer when refused. */
  type Allowed = { ok: true; userId: string; gym: string; member: string; staff: boolean } | { ok: false; refused: HttpResponse };
  async function allowed(req: HttpRequest, again = false): Promise<Allowed> {
    // Checked again (the image read): the token and the membership only, the rate limit spent once.
    const who = again ? await signedIn(req) : await bearer(req, d.verifier, d.limits);
    if (!who.ok) return { ok: false, refused: who.response };
    const q = Query.safeParse(Object.fromEntries(req.query));
    if (!q.success)
      return { ok: false, refused: json(400, { error: { code: "VALIDATION_FAILED", message: "Say which gym and which member." } }) };
    const { gym, member } = q.data;
    const [mine, theirs] = await Promise.all([d.access.membership(who.userId, gym), d.access.membership(member, gym)]);
    const staff = mine !== null && mine.status === "active" && isStaffRole(mine.role);
    const self = member === who.userId && mine !== null && mine.status !== "cancelled";
    if (!mine || !theirs || (!staff && !self))
      return { ok: false, refused: json(404, { error: { code: "NOT_FOUND", message: "No such member in this gym." } }) };
    return { ok: true, userId: who.userId, gym, member, staff: staff && member !== who.userId };
  }

  async function signedIn(req: HttpRequest): Promise<{ ok: true; userId: string } | { ok: false; response: HttpResponse }> {
    const who = await d.verifier.verify(req.headers.authorization?.replace(/^Bearer /, ""));
    return who.ok
      ? { ok: true, userId: who.identity.userId }
      : { ok: false, response: json(401, { error: { code: who.code, message: who.message } }) };
  }

  router.post(PHOTO_PATH, async (req) => {
    const cross = crossSite(req);
    if (cross) return cross;
    const a = await allowed(req);
    if (!a.ok) return a.refused;
    const type = (req.headers["content-type"] ?? "").split(";")[0]!.trim().toLowerCase();
    const matches = Signatures[type];
    if (!matches) return json(415, { error: { code: "VALIDATION_FAILED", message: "Upload a JPEG, PNG or WebP photo." } });
    const at = d.now();
    if (!a.staff) {
      const wait = await d.selfUploads.take(`${a.member}:${a.gym}`, at);
      if (wait > 0) return tooManyRequests(wait);
    }
    const bytes = await readPhoto(req);
    if (bytes === "late") return requestTimedOut();
    if (bytes === null || bytes.byteLength === 0)
      return json(413, {
        error: { code: "VALIDATION_FAILED", message: `A photo can be up to ${MAX_PHOTO_BYTES / 1024} KB — make it smaller.` },
      });
    if (!matches(bytes))
      return json(415, {
        error: { code: "VALIDATION_FAILED", message: "That file is not the image type it says — upload a JPEG, PNG or WebP photo." },
      });
    // Checked again with the image read: a session ended or staff access removed while it trickled saves nothing.
    const still = await allowed(req, true);
    if (!still.ok) return still.refused;
    if (still.staff !== a.staff) return json(404, { error: { code: "NOT_FOUND", message: "No such member in this gym." } });
    await photos.save({ gymId: a.gym, memberId: a.member, contentType: type, bytes, by: a.userId, staff: a.staff, at });
    d.changed(a.gym, a.member);
    return json(200, { memberId: a.member, contentType: type, bytes: bytes.byteLength, updatedAt: at });
  });

  router.get(PHOTO_PATH, async (req) => {
    const a = await allowed(req);
    if (!a.ok) return a.refused;
    const photo = await photos.get(a.gym, a.member);
    if (!photo) return json(404, { error: { code: "NOT_FOUND", message: "No photo yet." } });
    return {
      status: 200,
      headers: { "content-type": photo.contentType, "cache-control": "private, no-store", "x-content-type-options": "nosniff" },
      body: photo.bytes,
    };
  });
}

/** The image, read in pieces (the transport holds it back until now); null once past {@link MAX_PHOTO_BYTES}, "late" past the read deadline. */
async function readPhoto(req: HttpRequest): Promise<Uint8Array | null | "late"> {
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    for await (const piece of bodyPieces(req)) {
      size += piece.byteLength;
      if (size > MAX_PHOTO_BYTES) return null;
      chunks.push(piece);
    }
  } catch (err) {
    if (err instanceof BodyTooLarge) return null;
    if (err instanceof BodyTimedOut) return "late";
    throw err;
  }
  return Buffer.concat(chunks);
}
