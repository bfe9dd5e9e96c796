import { json, type HttpApp, type HttpRequest, type HttpResponse, type Router } from "./router.js";

/**
 * What the transport serves from the moment the port is bound, before migrations and seeding have run
 * (the port is taken first, so a second node on it fails at once): `/health` says "starting" with 503 — so
 * whatever waits for a healthy node (a load balancer, `scripts/cluster.ts`, the bench) doesn't send clients
 * that would be refused — and everything else 503 until `open(router)`.
 */
export class StartingGate implements HttpApp {
  private router: Router | undefined;

  get isOpen(): boolean {
    return this.router !== undefined;
  }

  open(router: Router): void {
    this.router = router;
  }

  async handle(req: HttpRequest): Promise<HttpResponse> {
    if (this.router) return this.router.handle(req);
    if (req.path === "/health") return json(503, { status: "starting" }, { "retry-after": "1" });
    return json(503, { error: { code: "UNAVAILABLE", message: "Spotter is starting — try again in a moment." } }, { "retry-after": "2" });
  }
}
