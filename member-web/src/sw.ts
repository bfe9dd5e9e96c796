/**
 * The member app's service worker (served at /sw.js): shows a pushed notice and, on a click, opens the screen it
 * is about (the class card with "Claim your spot"), focusing an open window of the app when there is one. The
 * notice id is the notification's tag: a push sent again (at-least-once delivery) replaces, never doubles, it.
 * No imports: it is built as one classic script.
 */

interface PushedNotice {
  id: string;
  title: string;
  body: string;
  url: string;
}

/** The parts of the service worker scope this file uses (the DOM lib the app compiles with does not declare them). */
interface WorkerScope {
  location: Location;
  registration: {
    showNotification(
      title: string,
      options: { body: string; tag: string; data: unknown; icon?: string; renotify?: boolean },
    ): Promise<void>;
  };
  clients: {
    claim(): Promise<void>;
    matchAll(o: {
      type: "window";
      includeUncontrolled: boolean;
    }): Promise<{ url: string; focus(): Promise<unknown>; navigate(url: string): Promise<unknown> }[]>;
    openWindow(url: string): Promise<unknown>;
  };
  skipWaiting(): Promise<void>;
  addEventListener(type: string, listener: (event: WorkerEvent) => void): void;
}
interface WorkerEvent {
  waitUntil(p: Promise<unknown>): void;
  data?: { text(): string } | null;
  notification?: { data: { url?: string } | null; close(): void };
}

const scope = self as unknown as WorkerScope;

function noticeOf(text: string | undefined): PushedNotice {
  try {
    const n = JSON.parse(text ?? "") as Partial<PushedNotice>;
    return {
      id: String(n.id ?? ""),
      title: String(n.title ?? "Spotter"),
      body: String(n.body ?? ""),
      url: typeof n.url === "string" && n.url.startsWith("/") ? n.url : "/",
    };
  } catch {
    return { id: "", title: "Spotter", body: text ?? "", url: "/" };
  }
}

scope.addEventListener("install", () => void scope.skipWaiting());
scope.addEventListener("activate", (e) => e.waitUntil(scope.clients.claim()));

scope.addEventListener("push", (e) => {
  const n = noticeOf(e.data?.text());
  e.waitUntil(scope.registration.showNotification(n.title, { body: n.body, tag: n.id || n.body, data: { url: n.url }, icon: "/icon.svg" }));
});

scope.addEventListener("notificationclick", (e) => {
  e.notification?.close();
  const url = new URL(e.notification?.data?.url ?? "/", scope.location.origin).href;
  e.waitUntil(
    (async () => {
      const open = await scope.clients.matchAll({ type: "window", includeUncontrolled: true });
      const mine = open.find((c) => new URL(c.url).origin === scope.location.origin);
      if (!mine) return scope.clients.openWindow(url);
      await mine.navigate(url);
      return mine.focus();
    })(),
  );
});
