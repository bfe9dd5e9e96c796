import { json, type HttpApp, type HttpRequest, type HttpResponse, type Router } from "./router.js";

/**
 * What the transport serves from the moment the port is bound, before migrations and seeding have run
 * (the port is taken first, so a second node on it fails at once): `/health` says "starting", everything
 * else 503 until `open(router)`.
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
    if (req.path === "/health") return json(200, { status: "starting" });
    return json(503, { error: { code: "UNAVAILABLE", message: "Spotter is starting — try again in a moment." } }, { "retry-after": "2" });
  }
}
