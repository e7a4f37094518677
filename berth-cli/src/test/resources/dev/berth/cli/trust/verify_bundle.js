// Verifies a Sigstore bundle offline with npm @sigstore/verify and a public key, then checks that
// its in-toto statement names the image digest. Usage: node verify_bundle.js BUNDLE PUBLIC_KEY DIGEST
// (NODE_PATH must name the node_modules that hold @sigstore/verify and @sigstore/bundle.)
const crypto = require('crypto');
const fs = require('fs');
const { bundleFromJSON } = require('@sigstore/bundle');
const { Verifier, toSignedEntity } = require('@sigstore/verify');

const [bundleFile, keyFile, digest] = process.argv.slice(2);
const bundle = bundleFromJSON(JSON.parse(fs.readFileSync(bundleFile, 'utf8')));
const key = crypto.createPublicKey(fs.readFileSync(keyFile));
const trust = {
  certificateAuthorities: [], timestampAuthorities: [], tlogs: [], ctlogs: [],
  publicKey: () => ({ publicKey: key, validFor: () => true }),
};
// A key-signed bundle made offline has no transparency log entry or timestamp to require.
new Verifier(trust, { tlogThreshold: 0, ctlogThreshold: 0, timestampThreshold: 0 }).verify(toSignedEntity(bundle));
if (bundle.content.$case !== 'dsseEnvelope') {
  console.error('the bundle holds no DSSE envelope');
  process.exit(1);
}
const statement = JSON.parse(bundle.content.dsseEnvelope.payload.toString('utf8'));
const [algorithm, hex] = digest.split(':');
if (!statement.subject.some((subject) => subject.digest[algorithm] === hex)) {
  console.error(`the statement's subjects do not include ${digest}`);
  process.exit(1);
}
console.log(`verified bundle for ${digest}`);
