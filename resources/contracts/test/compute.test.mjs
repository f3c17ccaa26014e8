import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { NearRuntime } from './near_host.mjs';
import { loadContract, expectPanic } from './util.mjs';

const COMPUTE = 'compute.test.near';

function fresh() {
  const rt = new NearRuntime();
  rt.deploy(COMPUTE, loadContract('compute'));
  return rt;
}

function iteratedSha256(n) {
  let d = Buffer.alloc(32);
  for (let i = 0; i < n; i++) d = createHash('sha256').update(d).digest();
  return d.toString('hex');
}

function primesUpTo(n) {
  const composite = new Uint8Array(n + 1);
  let count = 0;
  for (let i = 2; i <= n; i++) {
    if (composite[i]) continue;
    count++;
    for (let j = i * i; j <= n; j += i) composite[j] = 1;
  }
  return count;
}

function matmulHash(n) {
  const a = (i, j) => (i * 31 + j * 17 + 1) >>> 0;
  const b = (i, j) => (i * 7 + j * 13 + 3) >>> 0;
  let hash = 2166136261;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      let sum = 0;
      for (let k = 0; k < n; k++) sum = (sum + Math.imul(a(i, k), b(k, j))) >>> 0;
      for (let byte = 0; byte < 4; byte++) {
        hash = Math.imul(hash ^ ((sum >>> (8 * byte)) & 0xff), 16777619) >>> 0;
      }
    }
  }
  return hash;
}

test('compute: get_last is null before any work', () => {
  assert.equal(fresh().view(COMPUTE, 'get_last').result, 'null');
});

test('compute: n rounds of SHA-256 in wasm match Node crypto, and the result is stored', () => {
  const rt = fresh();
  for (const n of [0, 1, 2, 1000]) {
    const out = rt.call(COMPUTE, 'compute', { n });
    assert.ok(out.ok, JSON.stringify(out.error));
    assert.deepEqual(out.json(), { method: 'compute', n, result: iteratedSha256(n) });
    assert.deepEqual(out.logs, [`compute n=${n}`]);
    assert.deepEqual(rt.view(COMPUTE, 'get_last').json(), out.json());
  }
});

test('compute: sieve counts primes and matmul hashes the product like a JS reference', () => {
  const rt = fresh();
  for (const n of [0, 1, 2, 100, 1_000_000]) {
    const out = rt.call(COMPUTE, 'sieve', { n });
    assert.ok(out.ok, JSON.stringify(out.error));
    assert.deepEqual(out.json(), { method: 'sieve', n, result: primesUpTo(n) });
  }
  for (const n of [0, 1, 3, 64]) {
    const out = rt.call(COMPUTE, 'matmul', { n });
    assert.ok(out.ok, JSON.stringify(out.error));
    assert.deepEqual(out.json(), { method: 'matmul', n, result: matmulHash(n) });
  }
  assert.deepEqual(rt.view(COMPUTE, 'get_last').json().method, 'matmul');
});

test('compute: bad sizes panic and leave the last result untouched', () => {
  const rt = fresh();
  assert.ok(rt.call(COMPUTE, 'compute', { n: 3 }).ok);
  const last = rt.view(COMPUTE, 'get_last').result;
  expectPanic(rt.call(COMPUTE, 'compute', {}), 'missing field `n`');
  expectPanic(rt.call(COMPUTE, 'compute', { n: -1 }), 'Failed to deserialize input from JSON.');
  expectPanic(rt.call(COMPUTE, 'compute', { n: '5' }), 'Failed to deserialize input from JSON.');
  expectPanic(rt.call(COMPUTE, 'matmul', { n: 1025 }), 'n must be at most 1024');
  expectPanic(rt.call(COMPUTE, 'sieve', { n: 100_000_001 }), 'n must be at most 100000000');
  expectPanic(rt.call(COMPUTE, 'compute', { n: 1 }, { deposit: 5 }), "Method compute doesn't accept deposit");
  assert.equal(rt.view(COMPUTE, 'get_last').result, last);
});
