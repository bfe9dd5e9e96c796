/** The service worker that keeps the desk's app shell, so the desk page opens without a connection. */
export function registerShell(): void {
  if (!("serviceWorker" in navigator) || !navigator.onLine) return;
  void navigator.serviceWorker
    .register("/admin/sw.js", { scope: "/admin/" })
    .then(() => navigator.serviceWorker.ready)
    .then(async () => {
      // The scripts and styles this page already loaded (before the worker was there to see them) go into its cache too.
      const loaded = performance
        .getEntriesByType("resource")
        .map((e) => e.name)
        .filter((u) => new URL(u).pathname.startsWith("/admin/assets/"));
      const cache = await caches.open(SHELL_CACHE);
      await cache.addAll(["/admin/desk", ...new Set(loaded)]);
    })
    .catch(() => undefined);
}

/** The service worker's cache (web-admin/public/sw.js names the same). */
const SHELL_CACHE = "spotter-admin-shell-v1";
