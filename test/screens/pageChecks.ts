/**
 * Checks every screen must pass at every size, run inside real Chromium: no sideways scroll,
 * no axe-core violation of WCAG AA contrast (or any other serious one), and every action reachable
 * with the Tab key. Each returns what is wrong, in words, so a failure names the element.
 */
import { createRequire } from "node:module";
import type { Page } from "playwright-core";

const AXE_PATH = createRequire(import.meta.url).resolve("axe-core/axe.min.js");

/** How far the page scrolls sideways (0 when it fits): `scrollWidth - innerWidth`. */
export function sidewaysOverflow(page: Page): Promise<number> {
  return page.evaluate(() => Math.max(0, document.documentElement.scrollWidth - window.innerWidth));
}

/** The elements that stick out past the right edge (to say what makes a page scroll sideways). */
export function overflowingElements(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const out: string[] = [];
    const walk = (root: Document | ShadowRoot, host: string) => {
      for (const el of root.querySelectorAll("*")) {
        const r = el.getBoundingClientRect();
        if (r.right > window.innerWidth + 1 && r.width > 0)
          out.push(
            `${host}${el.tagName.toLowerCase()}${el.id ? "#" + el.id : ""}${el.className && typeof el.className === "string" ? "." + el.className.split(" ")[0] : ""} (right ${Math.round(r.right)})`,
          );
        if (el.shadowRoot) walk(el.shadowRoot, `${el.tagName.toLowerCase()} › `);
      }
    };
    walk(document, "");
    return out.slice(0, 8);
  });
}

/** axe-core's violations on the page: any color-contrast finding, and any other serious or critical one. */
export async function axeViolations(page: Page): Promise<string[]> {
  if (!(await page.evaluate(() => "axe" in window))) await page.addScriptTag({ path: AXE_PATH });
  return page.evaluate(async () => {
    const axe = (
      window as unknown as {
        axe: {
          run: (
            ctx: unknown,
            o: unknown,
          ) => Promise<{
            violations: Array<{ id: string; impact: string | null; nodes: Array<{ target: unknown[]; failureSummary?: string }> }>;
          }>;
        };
      }
    ).axe;
    const r = await axe.run(document, {
      runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] },
      resultTypes: ["violations"],
    });
    return r.violations
      .filter((v) => v.id === "color-contrast" || v.impact === "serious" || v.impact === "critical")
      .flatMap((v) =>
        v.nodes
          .slice(0, 4)
          .map((n) => `${v.id}: ${JSON.stringify(n.target)} — ${(n.failureSummary ?? "").split("\n").slice(1, 2).join(" ").trim()}`),
      );
  });
}

/**
 * Presses Tab from the top of the page until every visible, enabled action (link, button, field,
 * summary, tabindex ≥ 0) has had focus; returns those never reached. A radio group counts as one stop.
 */
export async function unreachableByKeyboard(page: Page): Promise<string[]> {
  const total = await page.evaluate(() => {
    const all: Element[] = [];
    const walk = (root: Document | ShadowRoot) => {
      for (const el of root.querySelectorAll("*")) {
        all.push(el);
        if (el.shadowRoot) walk(el.shadowRoot);
      }
    };
    walk(document);
    const actionable = all.filter((el) => {
      if (!el.matches('a[href], button, input:not([type="hidden"]), select, textarea, summary, [tabindex]:not([tabindex="-1"])'))
        return false;
      if ((el as HTMLButtonElement).disabled || el.closest("[inert]")) return false;
      if (el.getAttribute("tabindex") === "-1") return false;
      const style = getComputedStyle(el);
      if (style.visibility === "hidden" || el.getClientRects().length === 0) return false;
      const dialog = el.closest("dialog");
      return !dialog || dialog.open;
    });
    const groups = new Map<string, number>();
    actionable.forEach((el, i) => {
      const radio = el instanceof HTMLInputElement && el.type === "radio" && el.name ? `radio:${el.name}` : null;
      const key = radio ?? String(i);
      if (!groups.has(key)) groups.set(key, groups.size);
      el.setAttribute("data-kbd", String(groups.get(key)));
      el.setAttribute(
        "data-kbd-label",
        (el.getAttribute("aria-label") ?? el.textContent ?? "").trim().replace(/\s+/g, " ").slice(0, 40) || el.tagName.toLowerCase(),
      );
    });
    return groups.size;
  });
  if (total === 0) return [];
  await page.evaluate(() => {
    (document.activeElement as HTMLElement | null)?.blur();
    window.scrollTo(0, 0);
  });
  const seen = new Set<string>();
  for (let i = 0; i < total * 2 + 20 && seen.size < total; i++) {
    await page.keyboard.press("Tab");
    const id = await page.evaluate(() => {
      let el: Element | null = document.activeElement;
      while (el?.shadowRoot?.activeElement) el = el.shadowRoot.activeElement;
      return el?.getAttribute("data-kbd") ?? null;
    });
    if (id !== null) seen.add(id);
  }
  return page.evaluate(
    (seenIds) => {
      const missing = new Map<string, string>();
      const walk = (root: Document | ShadowRoot) => {
        for (const el of root.querySelectorAll("[data-kbd]")) {
          const id = el.getAttribute("data-kbd")!;
          if (!seenIds.includes(id) && !missing.has(id))
            missing.set(id, `${el.tagName.toLowerCase()} "${el.getAttribute("data-kbd-label")}"`);
        }
        for (const el of root.querySelectorAll("*")) if (el.shadowRoot) walk(el.shadowRoot);
      };
      walk(document);
      return [...missing.values()];
    },
    [...seen],
  );
}
