// A real OIDC issuer for tests/oidc.rs: oauth2-mock-server on 127.0.0.1 (its issuer string is
// http://localhost:PORT), with a control port that sets the claims added to every token and
// rotates the signing key. Prints one JSON line: {"issuer","control"}.
//
//   POST /claims {json}   claims merged into every token from now on
//   POST /rotate          a new RS256 key signs from now on; the old one stays published
import http from 'node:http';
import { OAuth2Server } from 'oauth2-mock-server';

const server = new OAuth2Server();
const store = server.issuer.keys;
let current = (await store.generate('RS256')).kid;
// The store picks keys round-robin; pin signing to the current key, as a real issuer does
// after a rotation (the old key stays in the JWKS for tokens already out).
const pick = store.get.bind(store);
store.get = (kid) => pick(kid ?? current);

let claims = {};
server.service.on('beforeTokenSigning', (token) => {
  Object.assign(token.payload, claims);
});

await server.start(0, '127.0.0.1');

const control = http.createServer(async (req, res) => {
  let body = '';
  for await (const chunk of req) body += chunk;
  res.setHeader('content-type', 'application/json');
  if (req.method === 'POST' && req.url === '/claims') {
    claims = JSON.parse(body || '{}');
    res.end('{}');
  } else if (req.method === 'POST' && req.url === '/rotate') {
    current = (await store.generate('RS256')).kid;
    res.end(JSON.stringify({ kid: current }));
  } else {
    res.statusCode = 404;
    res.end('{}');
  }
});
control.listen(0, '127.0.0.1', () => {
  process.stdout.write(`${JSON.stringify({ issuer: server.issuer.url, control: control.address().port })}\n`);
});
// Stop with the test: standard input closes when the test process goes.
process.stdin.resume();
process.stdin.on('end', () => process.exit(0));
