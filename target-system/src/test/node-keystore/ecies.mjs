// An independent implementation of OutLayer's keystore format, using only node:crypto, so the Java
// keystore is checked against something it shares no code with.
//
//   node ecies.mjs pubkey  <master_hex> <seed>                      -> {"pubkey_hex"}
//   node ecies.mjs encrypt <master_hex> <seed> <plaintext> [eph_private_hex nonce_hex]
//                                                                   -> {"pubkey_hex","ciphertext_base64"}
//   node ecies.mjs decrypt <master_hex> <seed> <ciphertext_base64>  -> {"plaintext"}
//
// Scope key: X25519 private scalar = HMAC-SHA256(master, "ecies:" + seed).
// Ciphertext: 0x01 | ephemeral X25519 public (32) | nonce (12) | ChaCha20-Poly1305 ciphertext+tag,
// key = HKDF-SHA256(shared secret, empty salt, "outlayer-keystore-v1", 32).
import {
  createCipheriv, createDecipheriv, createHmac, createPrivateKey, createPublicKey,
  diffieHellman, generateKeyPairSync, hkdfSync, randomBytes,
} from 'node:crypto';

const PKCS8_X25519_PREFIX = Buffer.from('302e020100300506032b656e04220420', 'hex');
const SPKI_X25519_PREFIX = Buffer.from('302a300506032b656e032100', 'hex');

const privateKeyFromScalar = (scalar) =>
  createPrivateKey({ key: Buffer.concat([PKCS8_X25519_PREFIX, scalar]), format: 'der', type: 'pkcs8' });
const publicKeyFromRaw = (raw) =>
  createPublicKey({ key: Buffer.concat([SPKI_X25519_PREFIX, raw]), format: 'der', type: 'spki' });
const rawPublic = (key) => createPublicKey(key).export({ format: 'der', type: 'spki' }).subarray(SPKI_X25519_PREFIX.length);
const aeadKey = (shared) => Buffer.from(hkdfSync('sha256', shared, Buffer.alloc(0), Buffer.from('outlayer-keystore-v1'), 32));

function scopeKey(masterHex, seed) {
  const scalar = createHmac('sha256', Buffer.from(masterHex, 'hex')).update('ecies:' + seed, 'utf8').digest();
  const privateKey = privateKeyFromScalar(scalar);
  return { privateKey, publicRaw: rawPublic(privateKey) };
}

function encrypt(recipientRaw, plaintext, ephPrivateHex, nonceHex) {
  const ephemeral = ephPrivateHex
    ? privateKeyFromScalar(Buffer.from(ephPrivateHex, 'hex'))
    : generateKeyPairSync('x25519').privateKey;
  const shared = diffieHellman({ privateKey: ephemeral, publicKey: publicKeyFromRaw(recipientRaw) });
  const nonce = nonceHex ? Buffer.from(nonceHex, 'hex') : randomBytes(12);
  const cipher = createCipheriv('chacha20-poly1305', aeadKey(shared), nonce, { authTagLength: 16 });
  const sealed = Buffer.concat([cipher.update(plaintext), cipher.final(), cipher.getAuthTag()]);
  return Buffer.concat([Buffer.from([0x01]), rawPublic(ephemeral), nonce, sealed]);
}

function decrypt(privateKey, blob) {
  if (blob[0] !== 0x01 || blob.length < 61) throw new Error('not an ECIES v1 blob');
  const shared = diffieHellman({ privateKey, publicKey: publicKeyFromRaw(blob.subarray(1, 33)) });
  const decipher = createDecipheriv('chacha20-poly1305', aeadKey(shared), blob.subarray(33, 45), { authTagLength: 16 });
  decipher.setAuthTag(blob.subarray(blob.length - 16));
  return Buffer.concat([decipher.update(blob.subarray(45, blob.length - 16)), decipher.final()]);
}

const [command, masterHex, seed, data, ephPrivateHex, nonceHex] = process.argv.slice(2);
const scope = scopeKey(masterHex, seed);
let result;
if (command === 'pubkey') {
  result = { pubkey_hex: scope.publicRaw.toString('hex') };
} else if (command === 'encrypt') {
  const blob = encrypt(scope.publicRaw, Buffer.from(data, 'utf8'), ephPrivateHex, nonceHex);
  result = { pubkey_hex: scope.publicRaw.toString('hex'), ciphertext_base64: blob.toString('base64') };
} else if (command === 'decrypt') {
  result = { plaintext: decrypt(scope.privateKey, Buffer.from(data, 'base64')).toString('utf8') };
} else {
  console.error('usage: node ecies.mjs pubkey|encrypt|decrypt <master_hex> <seed> [data]');
  process.exit(2);
}
process.stdout.write(JSON.stringify(result) + '\n');
