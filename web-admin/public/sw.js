/*
 * The staff app's service worker (issue 21): keeps the app shell so the front desk opens without a connection.
 * Pages: network first, the last good copy when offline. Hashed assets (/admin/assets/, immutable): cache first.
 * Nothing else is cached: no socket, no API, no member data (that lives in the desk's IndexedDB, wiped on sign-out).
 */
const CACHE = "spotter-admin-shell-v1";

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches
      .open(CACHE)
      .then((c) => c.add("/admin/desk"))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((names) => Promise.all(names.filter((n) => n !== CACHE).map((n) => caches.delete(n))))
      .then(() => self.clients.claim()),
  );
});

self.addEventListener("fetch", (event) => {
  const req = event.request;
  const url = new URL(req.url);
  if (req.method !== "GET" || url.origin !== self.location.origin || !url.pathname.startsWith("/admin")) return;
  if (url.pathname.startsWith("/admin/assets/")) {
    event.respondWith(
      caches.match(req).then(
        (hit) =>
          hit ??
          fetch(req).then((res) => {
            if (res.ok) void caches.open(CACHE).then((c) => c.put(req, res.clone()));
            return res;
          }),
      ),
    );
    return;
  }
  if (req.mode === "navigate") {
    // Every /admin/… page is the same index.html (client routing): one cached copy answers all of them.
    // A server that is down, restarting or failing (5xx) is "offline" too: the last good copy.
    const cached = (fallback) => caches.match("/admin/desk").then((hit) => hit ?? fallback);
    event.respondWith(
      fetch(req)
        .then((res) => {
          if (res.ok) void caches.open(CACHE).then((c) => c.put("/admin/desk", res.clone()));
          return res.status >= 500 ? cached(res) : res;
        })
        .catch(() => cached(Response.error())),
    );
  }
});
