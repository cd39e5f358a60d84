// A real OpenID Connect provider for the accounts tests (npm's oidc-provider), on the loopback.
//
//   OIDC_ACCOUNTS='{"<sub>":{"email":"…","email_verified":true,"name":"…","omct_role":"STAFF","omct_clearance":"STAFF"}}' \
//   node oidc-provider.mjs --client-id <id> --client-secret <secret> --redirect-uri <uri> [--port 0]
//
// Issuer http://127.0.0.1:<port>; one confidential client (authorization code flow, PKCE required, the secret
// sent in the token request's body); the accounts from OIDC_ACCOUNTS, their claims in the ID token (scopes
// openid, email, profile). No login form: the interaction page signs in whoever the query names, as a person
// would by typing their password at the organisation's provider, and grants the client's scopes at once:
//
//   GET /interaction/<uid>?login=<sub>[&amr=pwd,mfa][&tamper=audience|nonce|signature]
//
// tamper= makes the next ID token from the token endpoint wrong on purpose (another audience, another nonce,
// or signed by another key under the same key id), for the tests that the platform refuses it.
// Prints "listening <port>" on stdout once ready; stops on SIGTERM, SIGINT or when stdin closes.
import http from "node:http";
import Provider from "oidc-provider";
import { generateKeyPair, exportJWK, SignJWT, decodeJwt } from "jose";

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && i + 1 < args.length ? args[i + 1] : fallback;
};
const clientId = option("client-id", null);
const clientSecret = option("client-secret", null);
const redirectUri = option("redirect-uri", null);
if (!clientId || !clientSecret || !redirectUri) {
  console.error("usage: node oidc-provider.mjs --client-id <id> --client-secret <secret> --redirect-uri <uri> [--port 0]");
  process.exit(2);
}
const accounts = JSON.parse(process.env.OIDC_ACCOUNTS ?? "{}");

const kid = "test-key";
const { privateKey } = await generateKeyPair("RS256", { extractable: true });
const jwk = { ...(await exportJWK(privateKey)), kid, alg: "RS256", use: "sig" };
const { privateKey: otherKey } = await generateKeyPair("RS256");

let nextTamper = null;
let provider = null;

const server = http.createServer(async (req, res) => {
  const url = new URL(req.url, "http://127.0.0.1");
  const interaction = url.pathname.match(/^\/interaction\/([^/]+)$/);
  if (!interaction) {
    return provider.callback()(req, res);
  }
  try {
    const details = await provider.interactionDetails(req, res);
    const sub = url.searchParams.get("login");
    if (!sub || !accounts[sub]) {
      res.writeHead(400, { "content-type": "text/plain" });
      return res.end(`no such test account: ${sub}`);
    }
    nextTamper = url.searchParams.get("tamper");
    const grant = new provider.Grant({ accountId: sub, clientId: details.params.client_id });
    grant.addOIDCScope(String(details.params.scope ?? "openid"));
    const grantId = await grant.save();
    const amr = (url.searchParams.get("amr") ?? "pwd").split(",").filter(Boolean);
    await provider.interactionFinished(req, res, { login: { accountId: sub, amr }, consent: { grantId } }, { mergeWithLastSubmission: false });
  } catch (error) {
    res.writeHead(500, { "content-type": "text/plain" });
    res.end(String(error?.message ?? error));
  }
});

server.listen(Number(option("port", "0")), "127.0.0.1", () => {
  const port = server.address().port;
  const issuer = `http://127.0.0.1:${port}`;
  provider = new Provider(issuer, {
    clients: [{
      client_id: clientId,
      client_secret: clientSecret,
      redirect_uris: [redirectUri],
      response_types: ["code"],
      grant_types: ["authorization_code"],
      token_endpoint_auth_method: "client_secret_post",
    }],
    jwks: { keys: [jwk] },
    async findAccount(ctx, sub) {
      const claims = accounts[sub];
      return claims ? { accountId: sub, claims: async () => ({ sub, ...claims }) } : undefined;
    },
    claims: {
      openid: ["sub", "amr"],
      email: ["email", "email_verified"],
      profile: ["name", "omct_role", "omct_clearance", "omct_organisation"],
    },
    conformIdTokenClaims: false,
    features: { devInteractions: { enabled: false } },
    interactions: { url: (ctx, interaction) => `/interaction/${interaction.uid}` },
    pkce: { required: () => true },
    cookies: { keys: ["oidc-provider test cookies only"] },
  });

  // tamper=: rewrite the next token response's ID token (decoded, changed, signed again).
  provider.use(async (ctx, next) => {
    await next();
    if (ctx.path !== "/token" || !nextTamper || !ctx.body?.id_token) {
      return;
    }
    const mode = nextTamper;
    nextTamper = null;
    const claims = decodeJwt(ctx.body.id_token);
    if (mode === "audience") claims.aud = "another-client";
    if (mode === "nonce") claims.nonce = "not-the-nonce-of-this-sign-in";
    const key = mode === "signature" ? otherKey : privateKey;
    ctx.body = { ...ctx.body, id_token: await new SignJWT(claims).setProtectedHeader({ alg: "RS256", kid, typ: "JWT" }).sign(key) };
  });

  console.log(`listening ${port}`);
});

const stop = () => server.close(() => process.exit(0));
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
process.stdin.on("end", stop);
process.stdin.resume();
