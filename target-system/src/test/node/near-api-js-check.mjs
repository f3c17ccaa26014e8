// Calls a NEAR JSON-RPC endpoint with the real near-api-js JsonRpcProvider and checks the answers.
//
//   node near-api-js-check.mjs <rpc-url> [<rpc-url> ...]
//
// Each URL gets 9 calls (under the anonymous tier's burst of 10, so it also runs through the
// coordinator's /near-rpc proxy): 5 with near-api-js 5.x (status, block by finality, block by
// height, gasPrice, query view_account) and 4 with 7.x (viewNodeStatus, viewBlock by hash,
// viewGasPrice, viewAccount). The missing account must come back as each version's typed error.
// Exits 0 when everything matches, 1 with a MISMATCH line otherwise, 2 on bad usage.
import { createRequire } from 'node:module';
import { JsonRpcProvider as ProviderV7 } from 'near-api-js';
import { AccountDoesNotExistError } from 'near-api-js/rpc-errors';

const require = createRequire(import.meta.url);
const { providers: providersV5 } = require('near-api-js-v5');

const MISSING_ACCOUNT = 'missing-account.test.near';
const BASE58_HASH = /^[1-9A-HJ-NP-Za-km-z]{32,44}$/;
// No retries: a wrong answer should fail at once, and the call count stays exact for the proxy.
const PROVIDER_OPTIONS = { retries: 1, wait: 0, backoff: 1 };

class Mismatch extends Error {}

function expect(condition, what, actual) {
  if (!condition) {
    throw new Mismatch(`${what} (got ${JSON.stringify(actual)})`);
  }
}

async function expectTypedError(call, what, check) {
  let error;
  try {
    const result = await call();
    throw new Mismatch(`${what}: expected an error, got result ${JSON.stringify(result)}`);
  } catch (e) {
    if (e instanceof Mismatch) throw e;
    error = e;
  }
  check(error);
}

async function checkV5(url) {
  const provider = new providersV5.JsonRpcProvider({ url }, PROVIDER_OPTIONS);

  const status = await provider.status();
  expect(typeof status.chain_id === 'string' && status.chain_id.length > 0, 'v5 status().chain_id', status.chain_id);
  expect(Number.isInteger(status.sync_info?.latest_block_height), 'v5 status().sync_info.latest_block_height', status.sync_info);
  expect(BASE58_HASH.test(status.sync_info.latest_block_hash), 'v5 status().sync_info.latest_block_hash', status.sync_info);

  const final = await provider.block({ finality: 'final' });
  const height = final.header?.height;
  // Final lags the head by two blocks; the head only moves forward between the two calls.
  expect(Number.isInteger(height) && height >= status.sync_info.latest_block_height - 2,
    'v5 block({finality:"final"}).header.height at most 2 behind the head seen by status()', final.header?.height);
  expect(BASE58_HASH.test(final.header.hash), 'v5 block().header.hash', final.header.hash);
  expect(Array.isArray(final.chunks) && final.chunks.length > 0, 'v5 block().chunks', final.chunks);

  const byHeight = await provider.block({ blockId: height });
  expect(byHeight.header.height === height, 'v5 block({blockId: height}).header.height', byHeight.header.height);
  expect(byHeight.header.hash === final.header.hash, 'v5 block({blockId: height}) has the same hash as before',
    byHeight.header.hash);

  const gas = await provider.gasPrice(null);
  expect(typeof gas.gas_price === 'string' && /^[0-9]+$/.test(gas.gas_price), 'v5 gasPrice(null).gas_price', gas);

  await expectTypedError(
    () => provider.query({ request_type: 'view_account', finality: 'final', account_id: MISSING_ACCOUNT }),
    'v5 query view_account of a missing account',
    (e) => expect(e.type === 'AccountDoesNotExist', 'v5 error type AccountDoesNotExist',
      { type: e.type, message: e.message }));

  return { chainId: status.chain_id, height, hash: final.header.hash };
}

async function checkV7(url, seen) {
  const provider = new ProviderV7({ url }, PROVIDER_OPTIONS);

  const status = await provider.viewNodeStatus();
  expect(status.chain_id === seen.chainId, 'v7 viewNodeStatus().chain_id matches v5', status.chain_id);

  const byHash = await provider.viewBlock({ blockId: seen.hash });
  expect(byHash.header?.height === seen.height, 'v7 viewBlock({blockId: hash}).header.height', byHash.header);

  const gas = await provider.viewGasPrice(null);
  expect(/^[0-9]+$/.test(String(gas.gas_price)), 'v7 viewGasPrice(null).gas_price', gas);

  await expectTypedError(
    () => provider.viewAccount({ accountId: MISSING_ACCOUNT, blockQuery: { finality: 'final' } }),
    'v7 viewAccount of a missing account',
    (e) => {
      expect(e instanceof AccountDoesNotExistError, 'v7 error is AccountDoesNotExistError',
        { name: e?.constructor?.name, message: e?.message });
      expect(e.accountId === MISSING_ACCOUNT, 'v7 AccountDoesNotExistError.accountId', e.accountId);
      expect(BASE58_HASH.test(e.blockHash) && Number.isInteger(e.blockHeight),
        'v7 AccountDoesNotExistError block hash and height', { blockHash: e.blockHash, blockHeight: e.blockHeight });
    });
}

async function main(urls) {
  if (urls.length === 0) {
    console.error('usage: node near-api-js-check.mjs <rpc-url> [<rpc-url> ...]');
    return 2;
  }
  for (const url of urls) {
    try {
      const seen = await checkV5(url);
      await checkV7(url, seen);
      console.log(`OK ${url}: near-api-js 5.x and 7.x agree with the endpoint (block ${seen.height} ${seen.hash})`);
    } catch (e) {
      const detail = e instanceof Mismatch ? e.message : `${e?.constructor?.name}: ${e?.message}`;
      console.error(`MISMATCH ${url}: ${detail}`);
      return 1;
    }
  }
  return 0;
}

process.exitCode = await main(process.argv.slice(2));
