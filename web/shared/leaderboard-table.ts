import { LitElement, css, html, nothing } from "lit";
import { customElement, property } from "lit/decorators.js";
import { repeat } from "lit/directives/repeat.js";
import { DivisionLabels, type BoardRow } from "./scoreEntry.js";

/**
 * A class leaderboard: place, name, division, score; Rx before scaled (as ranked by the server),
 * ties marked, my line highlighted. Sized and coloured by CSS custom properties so the same table
 * serves a phone, the staff app and the gym's TV (`--board-font-size`, `--board-bg`, `--board-ink`, ...).
 */
@customElement("leaderboard-table")
export class LeaderboardTable extends LitElement {
  static override styles = css`
    :host {
      display: block;
      font-size: var(--board-font-size, 1rem);
      color: var(--board-ink, #1b1f27);
    }
    table {
      width: 100%;
      border-collapse: collapse;
      font-variant-numeric: tabular-nums;
    }
    caption {
      text-align: left;
      font-weight: 700;
      padding-bottom: 0.4em;
    }
    th {
      font-size: 0.7em;
      text-transform: uppercase;
      letter-spacing: 0.05em;
      color: var(--board-muted, #4a5160);
      text-align: left;
      padding: 0.3em 0.5em;
    }
    td {
      padding: var(--board-row-pad, 0.45em 0.5em);
      border-top: 1px solid var(--board-rule, #e4e8ee);
      vertical-align: baseline;
    }
    .rank {
      width: 3.2em;
      font-weight: 700;
    }
    .score {
      text-align: right;
      font-weight: 700;
      white-space: nowrap;
    }
    th.score {
      text-align: right;
    }
    .div {
      display: inline-block;
      font-size: 0.7em;
      font-weight: 700;
      padding: 0.05em 0.5em;
      border-radius: 1em;
      background: var(--board-rx-bg, #e0ebff);
      color: var(--board-rx-ink, #1d3f8a);
    }
    .div.scaled {
      background: var(--board-scaled-bg, #eef1f5);
      color: var(--board-scaled-ink, #4a5160);
    }
    .tie {
      font-size: 0.65em;
      font-weight: 600;
      margin-left: 0.4em;
      color: var(--board-muted, #4a5160);
      white-space: nowrap;
    }
    tr.mine td {
      background: var(--board-mine-bg, #fff5cc);
    }
    .you {
      font-size: 0.7em;
      font-weight: 700;
      margin-left: 0.4em;
    }
    .empty {
      color: var(--board-muted, #4a5160);
      padding: 0.75em 0.5em;
    }
  `;

  @property({ attribute: false }) rows: readonly BoardRow[] = [];
  /** Visible caption naming the board (also its accessible name). */
  @property() caption = "Leaderboard";
  /** Shown when nobody has a score yet. */
  @property() empty = "No scores yet.";

  override render() {
    return html`<table>
      <caption>
        ${this.caption}
      </caption>
      <thead>
        <tr>
          <th scope="col" class="rank">#</th>
          <th scope="col">Name</th>
          <th scope="col">Division</th>
          <th scope="col" class="score">Score</th>
        </tr>
      </thead>
      <tbody>
        ${
          this.rows.length === 0
            ? html`<tr>
              <td class="empty" colspan="4">${this.empty}</td>
            </tr>`
            : repeat(
                this.rows,
                (r) => r.key,
                (
                  r,
                ) => html`<tr class=${r.mine ? "mine" : ""} data-rank=${r.rank} data-key=${r.key} aria-current=${r.mine ? "true" : nothing}>
                <td class="rank">${r.rank}</td>
                <td class="name">${r.name}${r.mine ? html`<span class="you">(you)</span>` : nothing}</td>
                <td><span class="div ${r.division}">${DivisionLabels[r.division]}</span></td>
                <td class="score">
                  ${r.display}${r.tied ? html`<span class="tie" title="Same score: the earlier submission ranks first">tie</span>` : nothing}
                </td>
              </tr>`,
              )
        }
      </tbody>
    </table>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "leaderboard-table": LeaderboardTable;
  }
}
