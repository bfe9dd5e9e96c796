import type { ReactiveController, ReactiveControllerHost } from "lit";
import type uPlot from "uplot";

/** A uPlot chart's life in a Lit element: resized with the element, destroyed when the element leaves the page. */
export class PlotController implements ReactiveController {
  plot: uPlot | null = null;
  private resize: ResizeObserver | null = null;

  constructor(
    private readonly host: ReactiveControllerHost & HTMLElement,
    private readonly height: number,
  ) {
    host.addController(this);
  }

  /** The chart's width: the element's, at least 240 px. */
  width(): number {
    return Math.max(240, this.host.clientWidth);
  }

  hostConnected(): void {
    this.resize = new ResizeObserver(() => this.plot?.setSize({ width: this.width(), height: this.height }));
    this.resize.observe(this.host);
  }

  hostDisconnected(): void {
    this.resize?.disconnect();
    this.resize = null;
    this.plot?.destroy();
    this.plot = null;
  }
}
