/** Token verification: the identity a socket gets from its token. */
import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { signToken, TokenVerifier } from "../../server/auth.js";

const secret = "auth-test-secret-".padEnd(40, "x");

describe("token identities", () => {
  it("names a user by one spelling: an upper-case UUID subject is the same user in lower case", async () => {
    const id = randomUUID();
    const verifier = new TokenVerifier({ secret });
    expect(await verifier.verify(await signToken(secret, id.toUpperCase()))).toMatchObject({ ok: true, identity: { userId: id } });
    expect(await verifier.verify(await signToken(secret, id))).toMatchObject({ ok: true, identity: { userId: id } });
  });

  it("keeps an external provider's subject that is not a UUID exactly as sent", async () => {
    const verifier = new TokenVerifier({ secret });
    expect(await verifier.verify(await signToken(secret, "auth0|AbC123"))).toMatchObject({ ok: true, identity: { userId: "auth0|AbC123" } });
  });
});
