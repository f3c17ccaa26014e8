import { test } from 'node:test';
import assert from 'node:assert/strict';
import { NearRuntime } from './near_host.mjs';
import { loadContract, expectPanic } from './util.mjs';

const COUNTER = 'counter.test.near';

function fresh() {
  const rt = new NearRuntime();
  rt.deploy(COUNTER, loadContract('counter'));
  return rt;
}

test('counter: get_num is 0 before any state exists', () => {
  const rt = fresh();
  const out = rt.view(COUNTER, 'get_num');
  assert.ok(out.ok, JSON.stringify(out.error));
  assert.equal(out.result, '0');
  assert.equal(rt.accounts.get(COUNTER).storage.size, 0, 'a view never writes');
});

test('counter: increment, decrement and reset log like near-examples', () => {
  const rt = fresh();
  let out = rt.call(COUNTER, 'increment', {});
  assert.ok(out.ok);
  assert.deepEqual(out.logs, ['Increased number to 1']);
  assert.equal(out.result, null, 'increment returns nothing, like the example');
  out = rt.call(COUNTER, 'increment', '');
  assert.ok(out.ok, 'empty input counts as no arguments');
  assert.deepEqual(out.logs, ['Increased number to 2']);
  out = rt.call(COUNTER, 'increment', { number: 5 });
  assert.deepEqual(out.logs, ['Increased number to 7']);
  out = rt.call(COUNTER, 'decrement', {});
  assert.deepEqual(out.logs, ['Decreased number to 6']);
  out = rt.call(COUNTER, 'decrement', { number: 10 });
  assert.deepEqual(out.logs, ['Decreased number to -4']);
  assert.equal(rt.view(COUNTER, 'get_num').json(), -4);
  out = rt.call(COUNTER, 'reset', {});
  assert.deepEqual(out.logs, ['Reset counter to zero']);
  assert.equal(rt.view(COUNTER, 'get_num').json(), 0);
});

test('counter: 1000 increments count exactly, state is a borsh i64 under STATE', () => {
  const rt = fresh();
  for (let i = 0; i < 1000; i++) assert.ok(rt.call(COUNTER, 'increment', {}).ok);
  assert.equal(rt.view(COUNTER, 'get_num').json(), 1000);
  const storage = rt.accounts.get(COUNTER).storage;
  const entry = storage.get(Buffer.from('STATE').toString('hex'));
  assert.equal(Buffer.from(entry.value).readBigInt64LE(0), 1000n);
  assert.equal(storage.size, 1);
});

test('counter: bad arguments panic with the near-sdk message and change nothing', () => {
  const rt = fresh();
  rt.call(COUNTER, 'increment', { number: 3 });
  for (const bad of ['{"number":', '[1]', '{"number":"5"}', '{"number":1.5}', '{"number":1} x', '{"number":99999999999999999999}', '{"number":1,"number":2}']) {
    const out = rt.call(COUNTER, 'increment', bad);
    expectPanic(out, 'Failed to deserialize input from JSON.');
    assert.deepEqual(out.logs, []);
  }
  assert.equal(rt.view(COUNTER, 'get_num').json(), 3);
});

test('counter: overflow panics and rolls back', () => {
  const rt = fresh();
  assert.ok(rt.call(COUNTER, 'increment', '{"number":9223372036854775807}').ok);
  expectPanic(rt.call(COUNTER, 'increment', {}), 'attempt to add with overflow');
  assert.equal(rt.view(COUNTER, 'get_num').result, '9223372036854775807');
  assert.ok(rt.call(COUNTER, 'reset', {}).ok);
  assert.ok(rt.call(COUNTER, 'decrement', '{"number":9223372036854775807}').ok);
  assert.ok(rt.call(COUNTER, 'decrement', {}).ok);
  assert.equal(rt.view(COUNTER, 'get_num').result, '-9223372036854775808');
  expectPanic(rt.call(COUNTER, 'decrement', {}), 'attempt to subtract with overflow');
});

test('counter: non-payable methods refuse a deposit; views cannot write', () => {
  const rt = fresh();
  expectPanic(rt.call(COUNTER, 'increment', {}, { deposit: 1 }), "Method increment doesn't accept deposit");
  const out = rt.view(COUNTER, 'increment');
  assert.equal(out.ok, false);
  assert.equal(out.error.kind, 'ProhibitedInView');
  assert.equal(rt.view(COUNTER, 'get_num').json(), 0);
  assert.equal(rt.call(COUNTER, 'no_such_method').error.kind, 'MethodNotFound');
});

test('counter: imports only NEAR host functions from env', () => {
  const module = new WebAssembly.Module(loadContract('counter'));
  const names = WebAssembly.Module.imports(module).map((i) => `${i.module}.${i.name}`);
  assert.ok(names.every((n) => n.startsWith('env.')), names.join());
  assert.deepEqual(WebAssembly.Module.exports(module).map((e) => e.name).sort(),
    ['decrement', 'get_num', 'increment', 'memory', 'reset']);
});
