import { css } from "lit";

/** The card every sign-in setting on a profile sits in (passkeys, password, authenticator app). */
export const settingCard = css`
  :host {
    display: block;
    margin-top: 1rem;
    background: var(--card, #fff);
    border-radius: 0.75rem;
    padding: 0.9rem;
  }
  h3 {
    margin: 0 0 0.5rem;
    font-size: 1rem;
  }
  button {
    min-height: 2.5rem;
    padding: 0 1rem;
    border-radius: 0.6rem;
    border: 1px solid #c4cad2;
    background: #fff;
    font: inherit;
  }
`;
