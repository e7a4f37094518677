// A real OpenID Connect provider (npm oidc-provider, a certified implementation) for berth's tests.
// Usage: node provider.mjs MODULES_DIR CLIENT_SECRET REDIRECT_URI
// Listens on a free loopback port and prints "listening PORT" once it answers; its issuer is
// http://127.0.0.1:PORT. People sign in on its development pages (any password), the way a
// person would in a browser: alice (group lab-staff) and carol (no groups) exist, nobody else.
import http from 'node:http';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const [modulesDir, clientSecret, redirectUri] = process.argv.slice(2);
const { default: Provider } = await import(pathToFileURL(path.join(modulesDir, 'oidc-provider', 'lib', 'index.js')).href);

const people = {
  alice: { groups: ['lab-staff'], email: 'alice@example.org' },
  carol: { groups: [], email: 'carol@example.org' },
};

const server = http.createServer();
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const { port } = server.address();

const provider = new Provider(`http://127.0.0.1:${port}`, {
  clients: [{
    client_id: 'berth',
    client_secret: clientSecret,
    // A loopback redirect URI of a native client matches any port (RFC 8252, 7.3), so the
    // registry under test may listen wherever the kernel put it.
    application_type: 'native',
    redirect_uris: [redirectUri],
    grant_types: ['authorization_code', 'refresh_token', 'urn:ietf:params:oauth:grant-type:device_code'],
    response_types: ['code'],
    token_endpoint_auth_method: 'client_secret_basic',
  }],
  pkce: { required: () => true },
  features: {
    devInteractions: { enabled: true },
    deviceFlow: { enabled: true },
  },
  // The ID token carries the profile claims itself, as Keycloak's and most IdPs' do.
  conformIdTokenClaims: false,
  claims: { openid: ['sub'], profile: ['preferred_username', 'groups', 'email'] },
  cookies: { keys: ['berth-test-cookie-key'] },
  async findAccount(ctx, id) {
    const person = people[id];
    if (!person) {
      return undefined;
    }
    return {
      accountId: id,
      async claims() {
        return { sub: id, preferred_username: id, groups: person.groups, email: person.email };
      },
    };
  },
});

server.on('request', provider.callback());
console.log(`listening ${port}`);
