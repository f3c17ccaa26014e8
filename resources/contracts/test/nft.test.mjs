import { test } from 'node:test';
import assert from 'node:assert/strict';
import { NearRuntime, STORAGE_PRICE_PER_BYTE } from './near_host.mjs';
import { loadContract, expectPanic } from './util.mjs';

const NFT = 'nft.test.near';
const OWNER = 'owner.test.near';
const ONE_NEAR = 10n ** 24n;
const META = { title: 'Olympus Mons', description: 'The tallest mountain in the charted solar system', copies: 1 };
const FULL_META = {
  title: 'Olympus Mons', description: 'The tallest mountain in the charted solar system', media: null,
  media_hash: null, copies: 1, issued_at: null, expires_at: null, starts_at: null, updated_at: null,
  extra: null, reference: null, reference_hash: null,
};

function initialized() {
  const rt = new NearRuntime();
  rt.deploy(NFT, loadContract('nft'));
  const out = rt.call(NFT, 'new_default_meta', { owner_id: OWNER }, { predecessor: OWNER });
  assert.ok(out.ok, JSON.stringify(out.error));
  return rt;
}

function mint(rt, tokenId, tokenOwner = OWNER, deposit = ONE_NEAR / 10n, predecessor = OWNER, metadata = META) {
  return rt.call(NFT, 'nft_mint', { token_id: tokenId, token_owner_id: tokenOwner, token_metadata: metadata },
    { predecessor, deposit });
}

const stateSnapshot = (rt) => JSON.stringify([...rt.accounts.get(NFT).storage.entries()].map(([k, v]) => [k, Buffer.from(v.value).toString('hex')]));

test('nft: views before initialization panic like PanicOnDefault', () => {
  const rt = new NearRuntime();
  rt.deploy(NFT, loadContract('nft'));
  expectPanic(rt.view(NFT, 'nft_total_supply'), 'The contract is not initialized');
  expectPanic(rt.view(NFT, 'nft_token', { token_id: '1' }), 'The contract is not initialized');
});

test('nft: initializes once; nft_metadata returns the default metadata', () => {
  const rt = initialized();
  expectPanic(rt.call(NFT, 'new_default_meta', { owner_id: OWNER }), 'The contract has already been initialized');
  expectPanic(rt.call(NFT, 'new', { owner_id: OWNER, metadata: { spec: 'nft-1.0.0', name: 'x', symbol: 'X' } }),
    'The contract has already been initialized');
  const meta = rt.view(NFT, 'nft_metadata').json();
  assert.equal(meta.spec, 'nft-1.0.0');
  assert.equal(meta.name, 'Example NEAR non-fungible token');
  assert.equal(meta.symbol, 'EXAMPLE');
  assert.ok(meta.icon.startsWith('data:image/svg+xml,'));
  assert.deepEqual(Object.keys(meta), ['spec', 'name', 'symbol', 'icon', 'base_uri', 'reference', 'reference_hash']);
  assert.equal(rt.view(NFT, 'nft_total_supply').json(), '0');
  assert.deepEqual(rt.view(NFT, 'nft_tokens').json(), []);
});

test('nft: new validates its metadata like NFTContractMetadata::assert_valid', () => {
  const rt = new NearRuntime();
  rt.deploy(NFT, loadContract('nft'));
  expectPanic(rt.call(NFT, 'new', { owner_id: OWNER, metadata: { spec: 'nft-2', name: 'n', symbol: 's' } }), 'Spec is not NFT metadata');
  expectPanic(rt.call(NFT, 'new', { owner_id: OWNER, metadata: { spec: 'nft-1.0.0', name: 'n', symbol: 's', reference: 'r' } }),
    'Reference and reference hash must be present');
  expectPanic(rt.call(NFT, 'new', { owner_id: OWNER, metadata: { spec: 'nft-1.0.0', name: 'n', symbol: 's', reference: 'r', reference_hash: 'AAAA' } }),
    'Hash has to be 32 bytes');
  expectPanic(rt.call(NFT, 'new', { owner_id: OWNER, metadata: { spec: 'nft-1.0.0', symbol: 's' } }), 'missing field `name`');
  expectPanic(rt.call(NFT, 'new', { owner_id: 'Not Valid!', metadata: { spec: 'nft-1.0.0', name: 'n', symbol: 's' } }),
    'Failed to deserialize input from JSON.');
  assert.equal(rt.accounts.get(NFT).storage.size, 0, 'failed init leaves no state');
  const hash = Buffer.alloc(32, 7).toString('base64');
  const out = rt.call(NFT, 'new', { owner_id: OWNER, metadata: { spec: 'nft-1.0.0', name: 'Mine', symbol: 'M', reference: 'ipfs://x', reference_hash: hash } });
  assert.ok(out.ok, JSON.stringify(out.error));
  assert.deepEqual(rt.view(NFT, 'nft_metadata').json(),
    { spec: 'nft-1.0.0', name: 'Mine', symbol: 'M', icon: null, base_uri: null, reference: 'ipfs://x', reference_hash: hash });
});

test('nft: mint returns the Token, emits nft_mint, charges storage and refunds the rest', () => {
  const rt = initialized();
  const before = rt.storageUsage(NFT);
  const deposit = ONE_NEAR / 10n;
  const out = mint(rt, 'token-1', 'bob.test.near', deposit);
  assert.ok(out.ok, JSON.stringify(out.error));
  assert.deepEqual(out.json(), { token_id: 'token-1', owner_id: 'bob.test.near', metadata: FULL_META, approved_account_ids: {} });
  assert.deepEqual(out.logs, ['EVENT_JSON:{"standard":"nep171","version":"1.0.0","event":"nft_mint","data":[{"owner_id":"bob.test.near","token_ids":["token-1"]}]}']);
  const cost = (rt.storageUsage(NFT) - before) * STORAGE_PRICE_PER_BYTE;
  assert.ok(cost > 0n);
  assert.deepEqual(out.promises, [{ receiver_id: OWNER, actions: [{ Transfer: { deposit: (deposit - cost).toString() } }] }]);
  assert.deepEqual(rt.view(NFT, 'nft_token', { token_id: 'token-1' }).json(), out.json());
  assert.equal(rt.view(NFT, 'nft_token', { token_id: 'nope' }).result, 'null');
  assert.equal(rt.view(NFT, 'nft_total_supply').json(), '1');
});

test('nft: an exact deposit is accepted without a refund; one yocto short names the price', () => {
  const rt = initialized();
  const probe = initialized();
  const before = probe.storageUsage(NFT);
  assert.ok(mint(probe, 't').ok);
  const exact = (probe.storageUsage(NFT) - before) * STORAGE_PRICE_PER_BYTE;

  const short = mint(rt, 't', OWNER, exact - 1n);
  expectPanic(short, `Must attach ${exact} yoctoNEAR to cover storage`);
  assert.equal(rt.view(NFT, 'nft_total_supply').json(), '0', 'failed mint rolled back');
  const ok = mint(rt, 't', OWNER, exact);
  assert.ok(ok.ok);
  assert.deepEqual(ok.promises, []);
  expectPanic(mint(rt, 'u', OWNER, 0n), 'yoctoNEAR to cover storage');
});

test('nft: only the owner mints, ids are unique, failures change nothing', () => {
  const rt = initialized();
  assert.ok(mint(rt, 'a').ok);
  const snapshot = stateSnapshot(rt);
  let out = mint(rt, 'b', OWNER, ONE_NEAR, 'mallory.test.near');
  expectPanic(out, 'Unauthorized');
  assert.deepEqual(out.promises, []);
  out = mint(rt, 'a');
  expectPanic(out, 'token_id must be unique');
  assert.deepEqual(out.logs, []);
  assert.equal(stateSnapshot(rt), snapshot);
  assert.equal(rt.view(NFT, 'nft_total_supply').json(), '1');
});

test('nft: bad JSON arguments panic with a clear message', () => {
  const rt = initialized();
  const cases = [
    ['{"token_id": "x", ', 'EOF while parsing'],
    ['not json', 'expected a JSON object'],
    [{ token_owner_id: OWNER, token_metadata: META }, 'missing field `token_id`'],
    [{ token_id: 'x', token_owner_id: OWNER }, 'missing field `token_metadata`'],
    [{ token_id: 7, token_owner_id: OWNER, token_metadata: META }, 'expected a string for field `token_id`'],
    [{ token_id: 'x', token_owner_id: OWNER, token_metadata: 'meta' }, 'expected a map for field `token_metadata`'],
    [{ token_id: 'x', token_owner_id: OWNER, token_metadata: { copies: -1 } }, 'field `copies`'],
    [{ token_id: 'x', token_owner_id: OWNER, token_metadata: { media_hash: 'not base64!' } }, 'invalid base64 for field `media_hash`'],
    [{ token_id: 'x', token_owner_id: 'UPPER.near', token_metadata: META }, 'invalid account id for field `token_owner_id`'],
    ['{"token_id":"\\ud800","token_owner_id":"a.near","token_metadata":{}}', 'lone leading surrogate'],
  ];
  for (const [args, reason] of cases) {
    const out = rt.call(NFT, 'nft_mint', args, { predecessor: OWNER, deposit: ONE_NEAR });
    expectPanic(out, 'Failed to deserialize input from JSON.');
    expectPanic(out, reason);
  }
  assert.equal(rt.view(NFT, 'nft_total_supply').json(), '0');
});

test('nft: strings round-trip through JSON escapes and UTF-8', () => {
  const rt = initialized();
  const id = 'ünï "quoted" \\ \n 😀';
  const out = mint(rt, id, OWNER, ONE_NEAR, OWNER, { title: 'tab\there', extra: '{"k":1}' });
  assert.ok(out.ok, JSON.stringify(out.error));
  const token = rt.view(NFT, 'nft_token', { token_id: id }).json();
  assert.equal(token.token_id, id);
  assert.equal(token.metadata.title, 'tab\there');
  assert.equal(token.metadata.extra, '{"k":1}');
});

test('nft: enumeration by owner and globally, with paging', () => {
  const rt = initialized();
  for (let i = 0; i < 5; i++) assert.ok(mint(rt, `t${i}`, i % 2 ? 'bob.test.near' : 'carol.test.near').ok);
  assert.equal(rt.view(NFT, 'nft_total_supply').json(), '5');
  assert.equal(rt.view(NFT, 'nft_supply_for_owner', { account_id: 'carol.test.near' }).json(), '3');
  assert.equal(rt.view(NFT, 'nft_supply_for_owner', { account_id: 'nobody.test.near' }).json(), '0');
  const ids = (out) => out.json().map((t) => t.token_id);
  assert.deepEqual(ids(rt.view(NFT, 'nft_tokens')), ['t0', 't1', 't2', 't3', 't4']);
  assert.deepEqual(ids(rt.view(NFT, 'nft_tokens', { from_index: '1', limit: 2 })), ['t1', 't2']);
  assert.deepEqual(ids(rt.view(NFT, 'nft_tokens', { from_index: '5' })), []);
  expectPanic(rt.view(NFT, 'nft_tokens', { from_index: '6' }), 'Out of bounds, please use a smaller from_index.');
  expectPanic(rt.view(NFT, 'nft_tokens', { limit: 0 }), 'Cannot provide limit of 0.');
  expectPanic(rt.view(NFT, 'nft_tokens', { from_index: 1 }), 'expected a string for field `from_index`');
  assert.deepEqual(ids(rt.view(NFT, 'nft_tokens_for_owner', { account_id: 'carol.test.near' })), ['t0', 't2', 't4']);
  assert.deepEqual(ids(rt.view(NFT, 'nft_tokens_for_owner', { account_id: 'carol.test.near', from_index: '1', limit: 1 })), ['t2']);
  assert.deepEqual(rt.view(NFT, 'nft_tokens_for_owner', { account_id: 'nobody.test.near' }).json(), []);
  const token = rt.view(NFT, 'nft_tokens_for_owner', { account_id: 'bob.test.near', limit: 1 }).json()[0];
  assert.deepEqual(token, { token_id: 't1', owner_id: 'bob.test.near', metadata: FULL_META, approved_account_ids: {} });
});

test('nft: transfer needs exactly 1 yocto and the owner, moves the token and logs nft_transfer', () => {
  const rt = initialized();
  for (const id of ['a', 'b', 'c']) assert.ok(mint(rt, id, 'bob.test.near').ok);
  const transfer = (args, opts) => rt.call(NFT, 'nft_transfer', args, { predecessor: 'bob.test.near', deposit: 1, ...opts });
  expectPanic(transfer({ receiver_id: 'carol.test.near', token_id: 'a' }, { deposit: 0 }), 'Requires attached deposit of exactly 1 yoctoNEAR');
  expectPanic(transfer({ receiver_id: 'carol.test.near', token_id: 'a' }, { deposit: 2 }), 'Requires attached deposit of exactly 1 yoctoNEAR');
  expectPanic(transfer({ receiver_id: 'carol.test.near', token_id: 'zzz' }), 'Token not found');
  expectPanic(transfer({ receiver_id: 'carol.test.near', token_id: 'a' }, { predecessor: 'mallory.test.near' }), 'Sender not approved');
  expectPanic(transfer({ receiver_id: 'bob.test.near', token_id: 'a' }), 'Current and next owner must differ');

  const out = transfer({ receiver_id: 'carol.test.near', token_id: 'a', memo: 'gift' });
  assert.ok(out.ok, JSON.stringify(out.error));
  assert.deepEqual(out.logs, ['EVENT_JSON:{"standard":"nep171","version":"1.0.0","event":"nft_transfer","data":[{"old_owner_id":"bob.test.near","new_owner_id":"carol.test.near","token_ids":["a"],"memo":"gift"}]}']);
  assert.equal(rt.view(NFT, 'nft_token', { token_id: 'a' }).json().owner_id, 'carol.test.near');
  const owned = (who) => rt.view(NFT, 'nft_tokens_for_owner', { account_id: who }).json().map((t) => t.token_id).sort();
  assert.deepEqual(owned('bob.test.near'), ['b', 'c']);
  assert.deepEqual(owned('carol.test.near'), ['a']);
  // move the rest; the emptied owner list is removed from storage
  assert.ok(transfer({ receiver_id: 'carol.test.near', token_id: 'c' }).ok);
  assert.ok(transfer({ receiver_id: 'carol.test.near', token_id: 'b' }).ok);
  assert.deepEqual(owned('bob.test.near'), []);
  assert.equal(rt.view(NFT, 'nft_supply_for_owner', { account_id: 'bob.test.near' }).json(), '0');
  assert.deepEqual(owned('carol.test.near'), ['a', 'b', 'c']);
  assert.ok(rt.call(NFT, 'nft_transfer', { receiver_id: 'bob.test.near', token_id: 'b' }, { predecessor: 'carol.test.near', deposit: 1 }).ok);
  assert.deepEqual(owned('carol.test.near'), ['a', 'c']);
  assert.equal(rt.view(NFT, 'nft_total_supply').json(), '3');
});

test('nft: views are read-only and refuse nothing a view may do', () => {
  const rt = initialized();
  assert.ok(mint(rt, 'a').ok);
  const snapshot = stateSnapshot(rt);
  for (const [method, args] of [['nft_token', { token_id: 'a' }], ['nft_tokens', {}], ['nft_total_supply', {}],
    ['nft_metadata', {}], ['nft_supply_for_owner', { account_id: OWNER }], ['nft_tokens_for_owner', { account_id: OWNER }]]) {
    const out = rt.view(NFT, method, args);
    assert.ok(out.ok, `${method}: ${JSON.stringify(out.error)}`);
  }
  assert.equal(rt.view(NFT, 'nft_mint', { token_id: 'b', token_owner_id: OWNER, token_metadata: META }).error.kind, 'ProhibitedInView');
  assert.equal(stateSnapshot(rt), snapshot);
  expectPanic(rt.call(NFT, 'new_default_meta', { owner_id: OWNER }, { deposit: 1 }), "Method new_default_meta doesn't accept deposit");
});
