// A real OpenID Connect provider for the login tests, on loopback only.
//
//   node provider.js PORT CLIENT_JSON ACCOUNTS_JSON
//
// CLIENT_JSON: {"client_id": ..., "client_secret": ..., "redirect_uris": [...]}
// ACCOUNTS_JSON: {"login": "Display name", ...}. The provider's development login form accepts
// any login (and any password); the login typed is the account's e-mail address and subject, and
// its name is the one listed here (the login itself when it is not listed). Prints "ready URL"
// once it listens.
import Provider from "oidc-provider";

const [port, clientJson, accountsJson] = process.argv.slice(2);
const client = JSON.parse(clientJson);
const accounts = JSON.parse(accountsJson || "{}");
const issuer = `http://127.0.0.1:${port}`;

const provider = new Provider(issuer, {
  clients: [{ ...client, grant_types: ["authorization_code"], response_types: ["code"] }],
  claims: { openid: ["sub"], email: ["email", "email_verified"], profile: ["name"] },
  // Streamlit reads who signed in from the ID token, so the e-mail and name go in it.
  conformIdTokenClaims: false,
  async findAccount(ctx, id) {
    return {
      accountId: id,
      async claims() {
        return { sub: id, email: id, email_verified: true, name: accounts[id] ?? id };
      },
    };
  },
});

const server = provider.listen(Number(port), "127.0.0.1", () => {
  console.log(`ready ${issuer}`);
});
process.on("SIGTERM", () => server.close(() => process.exit(0)));
