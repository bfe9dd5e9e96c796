import type { ReactiveController, ReactiveControllerHost } from "lit";

/** The app's screens, from the path under `/admin/`. */
export type Route =
  | { name: "today" }
  | { name: "class"; id: string }
  | { name: "schedule" }
  | { name: "members"; id: string | null }
  | { name: "desk" }
  | { name: "board"; id: string }
  | { name: "audit" }
  | { name: "leaderboards" }
  | { name: "reports" }
  | { name: "leads" }
  | { name: "segments" }
  | { name: "insights" }
  | { name: "plans" }
  | { name: "waivers" }
  | { name: "settings" }
  | { name: "import" }
  | { name: "staff" }
  | { name: "signin" }
  | { name: "account" };

const BASE = import.meta.env.BASE_URL.replace(/\/$/, "");

export function parseRoute(pathname: string): Route {
  const rest = pathname.startsWith(BASE) ? pathname.slice(BASE.length) : pathname;
  const [first, second] = rest.split("/").filter(Boolean);
  switch (first) {
    case "desk":
      return { name: "desk" };
    case "board":
      return second ? { name: "board", id: second } : { name: "desk" };
    case "schedule":
      return { name: "schedule" };
    case "audit":
      return { name: "audit" };
    case "leaderboards":
      return { name: "leaderboards" };
    case "reports":
      return { name: "reports" };
    case "leads":
      return { name: "leads" };
    case "segments":
      return { name: "segments" };
    case "insights":
      return { name: "insights" };
    case "plans":
      return { name: "plans" };
    case "waivers":
      return { name: "waivers" };
    case "settings":
      return { name: "settings" };
    case "import":
      return { name: "import" };
    case "staff":
      return { name: "staff" };
    case "signin":
      return { name: "signin" };
    case "account":
      return { name: "account" };
    case "members":
      return { name: "members", id: second ?? null };
    case "class":
      return second ? { name: "class", id: second } : { name: "today" };
    default:
      return { name: "today" };
  }
}

/** The link for a route ("/admin/class/<id>"). */
export function href(route: Route): string {
  switch (route.name) {
    case "today":
      return `${BASE}/`;
    case "class":
      return `${BASE}/class/${route.id}`;
    case "board":
      return `${BASE}/board/${route.id}`;
    case "members":
      return route.id ? `${BASE}/members/${route.id}` : `${BASE}/members`;
    default:
      return `${BASE}/${route.name}`;
  }
}

export function navigate(to: string): void {
  if (to === location.pathname) return;
  history.pushState(null, "", to);
  window.dispatchEvent(new PopStateEvent("popstate"));
}

/**
 * The current route for the root element: follows back/forward and turns clicks on in-app links
 * (also inside shadow roots) into history navigation without a reload.
 */
export class RouterController implements ReactiveController {
  route: Route = parseRoute(location.pathname);

  constructor(private readonly host: ReactiveControllerHost) {
    host.addController(this);
  }

  hostConnected(): void {
    window.addEventListener("popstate", this._onPop);
    window.addEventListener("click", this._onClick);
  }

  hostDisconnected(): void {
    window.removeEventListener("popstate", this._onPop);
    window.removeEventListener("click", this._onClick);
  }

  private readonly _onPop = () => {
    this.route = parseRoute(location.pathname);
    this.host.requestUpdate();
  };

  private readonly _onClick = (e: MouseEvent) => {
    if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    const a = e.composedPath().find((n): n is HTMLAnchorElement => n instanceof HTMLAnchorElement);
    if (!a || a.target || a.hasAttribute("download") || a.origin !== location.origin || !a.pathname.startsWith(BASE)) return;
    if (a.pathname.startsWith(`${BASE}/api`)) return;
    e.preventDefault();
    navigate(a.pathname);
  };
}
