import "./member-app.js";
import { registerWorker } from "./pushDevice.js";

// The PWA's service worker: pushed notices land there even with the app closed.
void registerWorker().catch(() => undefined);
