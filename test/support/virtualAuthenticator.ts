/**
 * Chromium's virtual WebAuthn authenticator (CDP `WebAuthn` domain): a platform authenticator with resident keys and
 * user verification that answers every ceremony at once, like a phone's Face ID that always says yes.
 * Passkeys need a secure context: open the page on `http://localhost:<port>` (or HTTPS).
 *
 * @example
 * const authenticator = await addVirtualAuthenticator(page);
 * // … register a passkey through the app …
 * expect(await authenticator.credentials()).toHaveLength(1);
 */
import type { CDPSession, Page } from "playwright-core";

export interface VirtualCredential {
  credentialId: string;
  isResidentCredential: boolean;
  rpId?: string;
  userHandle?: string;
  signCount: number;
}

export interface VirtualAuthenticator {
  id: string;
  cdp: CDPSession;
  /** The credentials the authenticator holds. */
  credentials(): Promise<VirtualCredential[]>;
  /** Whether the "user" verifies (false: every ceremony fails user verification). */
  setUserVerified(verified: boolean): Promise<void>;
  remove(): Promise<void>;
}

export async function addVirtualAuthenticator(page: Page): Promise<VirtualAuthenticator> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("WebAuthn.enable", { enableUI: false });
  const { authenticatorId } = await cdp.send("WebAuthn.addVirtualAuthenticator", {
    options: {
      protocol: "ctap2",
      transport: "internal",
      hasResidentKey: true,
      hasUserVerification: true,
      isUserVerified: true,
      automaticPresenceSimulation: true,
    },
  });
  return {
    id: authenticatorId,
    cdp,
    credentials: async () => (await cdp.send("WebAuthn.getCredentials", { authenticatorId })).credentials as VirtualCredential[],
    setUserVerified: async (isUserVerified) => {
      await cdp.send("WebAuthn.setUserVerified", { authenticatorId, isUserVerified });
    },
    remove: async () => {
      await cdp.send("WebAuthn.removeVirtualAuthenticator", { authenticatorId });
    },
  };
}
