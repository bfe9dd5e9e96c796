import { css } from "lit";

/** The member app's frame: header, the screen, the bottom navigation with its badge; wider layouts from 768 px. */
export const shellStyles = css`
    :host {
      display: flex;
      flex-direction: column;
      min-height: 100dvh;
    }
    header {
      display: flex;
      align-items: baseline;
      gap: 0.5rem;
      padding: 0.75rem 1rem 0.25rem;
    }
    header h1 {
      font-size: 1.15rem;
      margin: 0;
    }
    header span {
      color: var(--muted, #5b6470);
      font-size: 0.9rem;
    }
    .top {
      position: sticky;
      top: 0;
      z-index: 5;
      display: grid;
      gap: 0.4rem;
      padding: 0 0.75rem;
    }
    .problem {
      background: #fde8e6;
      color: #8a1c12;
      padding: 0.6rem 0.8rem;
      border-radius: 0.6rem;
    }
    main {
      flex: 1;
      padding: 0.5rem 0.75rem 5.5rem;
      width: 100%;
      max-width: 48rem;
      margin: 0 auto;
      box-sizing: border-box;
    }
    main:focus {
      outline: none;
    }
    nav {
      position: fixed;
      bottom: 0;
      left: 0;
      right: 0;
      z-index: 6;
      display: grid;
      grid-template-columns: repeat(6, 1fr);
      background: #fff;
      border-top: 1px solid #dde2e7;
      padding-bottom: env(safe-area-inset-bottom);
    }
    nav a {
      display: flex;
      flex-direction: column;
      align-items: center;
      justify-content: center;
      min-height: 3.5rem;
      font-size: 0.75rem;
      color: var(--muted, #5b6470);
      text-decoration: none;
    }
    nav a[aria-current="page"] {
      color: var(--accent-ink, #0b5a3c);
      font-weight: 700;
      box-shadow: inset 0 3px 0 var(--accent, #127a52);
    }
    nav a:focus-visible {
      outline: 3px solid var(--focus, #1d4ed8);
      outline-offset: -3px;
    }
    nav a {
      position: relative;
    }
    .badge {
      position: absolute;
      top: 0.3rem;
      left: calc(50% + 0.4rem);
      min-width: 1.1rem;
      padding: 0 0.3rem;
      border-radius: 0.6rem;
      background: var(--danger, #b42318);
      color: #fff;
      font-size: 0.7rem;
      font-weight: 700;
      line-height: 1.1rem;
      text-align: center;
    }
    nav svg {
      width: 1.4rem;
      height: 1.4rem;
      fill: none;
      stroke: currentColor;
      stroke-width: 1.8;
      stroke-linecap: round;
      stroke-linejoin: round;
    }
    error-toast {
      left: 0.75rem;
      right: 0.75rem;
      bottom: 4.25rem;
      margin: 0 auto;
    }
    @media (min-width: 48rem) {
      /* Desktop: the sections bar sits under the header and stays on top; notices stick just below it. */
      header {
        max-width: 48rem;
        margin: 0 auto;
        width: 100%;
        box-sizing: border-box;
        padding-left: 0.75rem;
      }
      nav {
        position: sticky;
        top: 0;
        order: 0;
        max-width: 48rem;
        margin: 0 auto;
        width: 100%;
        border: none;
        background: var(--bg, #f3f5f7);
      }
      nav a[aria-current="page"] {
        box-shadow: inset 0 -3px 0 var(--accent, #127a52);
      }
      .top {
        top: 3.5rem;
        max-width: 48rem;
        margin: 0 auto;
        width: 100%;
        box-sizing: border-box;
      }
      main {
        padding-bottom: 2rem;
      }
      error-toast {
        left: auto;
        bottom: 1rem;
      }
    }
  `;
