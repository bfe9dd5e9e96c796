import { css } from "lit";

/** The front desk's look: big ✔/✘, the scan field, the live check-in list; one column on a phone. */
export const deskStyles = css`
      :host {
        min-height: 100vh;
        background: #eef1f5;
        padding: 1.25rem 1.5rem;
      }
      header {
        display: flex;
        justify-content: space-between;
        align-items: baseline;
        margin-bottom: 1rem;
      }
      header .actions {
        display: flex;
        gap: 1rem;
        align-items: baseline;
      }
      header h1 {
        font-size: 1.8rem;
        margin: 0;
      }
      .layout {
        display: grid;
        grid-template-columns: minmax(0, 3fr) minmax(18rem, 2fr);
        gap: 1.25rem;
        align-items: start;
      }
      .inputs {
        display: grid;
        grid-template-columns: 1fr 1fr;
        gap: 1rem;
        margin-top: 1rem;
      }
      .inputs input {
        font-size: 1.3rem;
        min-height: 3.25rem;
        width: 100%;
      }
      member-search {
        --results-min-height: 14rem;
        --search-font-size: 1.3rem;
        --search-min-height: 3.25rem;
      }
      .offline {
        color: #7f1d1d;
        font-weight: 600;
        min-height: 1.5em;
        margin: 0.5rem 0 0;
      }
      .offline[data-state="online"] {
        color: #173a7a;
      }
      .attention li {
        display: flex;
        justify-content: space-between;
        gap: 1rem;
        padding: 0.4rem 0;
        border-bottom: 1px solid #e2e6ec;
      }
      .boards {
        margin-top: 1.25rem;
      }
      .boards ul {
        list-style: none;
        margin: 0;
        padding: 0;
        display: flex;
        flex-wrap: wrap;
        gap: 0.5rem;
      }
      .boards a {
        display: inline-block;
        padding: 0.5rem 0.8rem;
        border: 1px solid #c4cad4;
        border-radius: 0.5rem;
        text-decoration: none;
        color: #14213d;
        background: #fff;
      }
      @media (max-width: 900px) {
        .layout,
        .inputs {
          grid-template-columns: 1fr;
        }
      }
    `;
