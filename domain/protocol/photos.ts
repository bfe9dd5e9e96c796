/**
 * Member photos (issue 18, the desk): the upload route's path, size cap and accepted types, shared by the route
 * (`server/http/photoRoutes.ts`) and both apps, so an app refuses in words what the route would refuse.
 */

/** `POST` (the image as the body) and `GET` `?gym=<id>&member=<id>`. */
export const PHOTO_PATH = "/api/photos/member";

/** Largest member photo: enough for a sharp face at desk size, small enough to keep one per member in the database. */
export const MAX_PHOTO_BYTES = 512 * 1024;

/** The image types accepted (the route also checks each file's first bytes). */
export const PHOTO_TYPES = ["image/jpeg", "image/png", "image/webp"] as const;
