// Calls a NEAR JSON-RPC endpoint with the real near-api-js JsonRpcProvider and checks the answers.
//
//   node near-api-js-check.mjs [--signer <account_id> <secret_key> [--api-key <key>] [--ft <token> <receiver>]
//                               [--relay <sender_id> <sender_secret_key>] [--implicit]] <rpc-url> [<rpc-url> ...]
//
// Each URL gets 9 anonymous calls (under the anonymous tier's burst of 10, so it also runs through
// the coordinator's /near-rpc proxy): 5 with near-api-js 5.x (status, block by finality, block by
// height, gasPrice, query view_account) and 4 with 7.x (viewNodeStatus, viewBlock by hash,
// viewGasPrice, viewAccount). The missing account must come back as each version's typed error.
// With --signer, near-api-js 7.x then signs transactions with an Account and a KeyPairSigner
// (18 calls, sent with the API key when one is given): the functionCall action to the bundled
// counter's `increment` through signAndSendTransaction and callFunction, the counter and the
// key's nonce advancing by exactly two, the account's balance from getState (view_account and
// EXPERIMENTAL_protocol_config's storage price), the including block's state changes (blockChanges,
// accountChanges: the charge and its cause), the transaction's status by hash, its call receipt's
// ReceiptView (viewTransactionStatusWithReceipts, viewTransactionReceipt), and a transaction
// reusing a spent nonce refused as InvalidNonceError. With --ft (a NEP-141 token where the signer
// holds tokens, and a receiver), 4 more: a signed ft_transfer_call whose receiver returns part of
// the amount, checked in both balances. With --relay, a NEP-366 meta transaction: the sender's
// Account signs a delegate action to `increment` (createSignedMetaTransaction), the signer relays it
// (actions.signedDelegate) and the counter must advance by one. With --implicit, a NEAR-implicit
// account: the signer's transfer to the hex of a fresh ed25519 key creates it (getState: the deposit in
// 182 bytes; getAccessKey: the key, full access) and that key signs a transfer back.
// Exits 0 when everything matches, 1 with a MISMATCH line otherwise, 2 on bad usage.
import { createRequire } from 'node:module';
import {
  Account, JsonRpcProvider as ProviderV7, KeyPair, KeyPairSigner, actions, baseDecode, createTransaction,
} from 'near-api-js';
import { AccountDoesNotExistError, InvalidNonceError } from 'near-api-js/rpc-errors';

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

const COUNTER = 'counter.test.near';
const GAS = 30_000_000_000_000n;

async function checkTransactions(url, { accountId, secretKey, apiKey, ft, relay, implicit }) {
  const headers = apiKey ? { Authorization: `Bearer ${apiKey}` } : {};
  const provider = new ProviderV7({ url, headers }, PROVIDER_OPTIONS);
  const signer = KeyPairSigner.fromSecretKey(secretKey);
  const publicKey = await signer.getPublicKey();
  const account = new Account(accountId, provider, signer);
  const count = () => provider.callFunction({ contractId: COUNTER, method: 'get_num', args: {} });

  const before = await count();
  const keyBefore = await account.getAccessKey(publicKey);
  expect(typeof keyBefore.nonce === 'bigint', 'v7 getAccessKey().nonce', String(keyBefore.nonce));

  const outcome = await account.signAndSendTransaction({
    receiverId: COUNTER,
    actions: [actions.functionCall('increment', {}, GAS, 0n)],
  });
  expect(outcome.status && 'SuccessValue' in outcome.status, 'v7 functionCall outcome status SuccessValue', outcome.status);
  expect(outcome.transaction?.signer_id === accountId && outcome.transaction_outcome?.id === outcome.transaction.hash,
    'v7 functionCall outcome names the signer and the transaction hash', outcome.transaction);
  expect(['EXECUTED_OPTIMISTIC', 'FINAL'].includes(outcome.final_execution_status),
    'v7 functionCall final_execution_status', outcome.final_execution_status);
  expect(Array.isArray(outcome.receipts_outcome) && outcome.receipts_outcome.length > 0,
    'v7 functionCall receipts_outcome', outcome.receipts_outcome);

  await account.callFunction({ contractId: COUNTER, methodName: 'increment', args: {}, gas: GAS });

  const after = await count();
  expect(after === before + 2, `v7 counter went from ${before} to ${before + 2}`, after);
  const keyAfter = await account.getAccessKey(publicKey);
  expect(keyAfter.nonce === keyBefore.nonce + 2n, 'v7 access key nonce advanced by the two transactions',
    { before: String(keyBefore.nonce), after: String(keyAfter.nonce) });

  // Account.getState (5.x's getAccountBalance) prices storage with EXPERIMENTAL_protocol_config's
  // runtime_config.storage_amount_per_byte: protocol 86's 10^19 yoctoNEAR a byte.
  const state = await account.getState();
  expect(state.balance.usedOnStorage === BigInt(state.storageUsage) * 10n ** 19n
      && state.balance.available === state.balance.total - state.balance.usedOnStorage,
    'v7 getState() prices storage at 10^19 yoctoNEAR a byte', {
      storageUsage: state.storageUsage, usedOnStorage: String(state.balance.usedOnStorage),
      total: String(state.balance.total), available: String(state.balance.available) });

  // The block that included the transaction charged the signer: blockChanges (EXPERIMENTAL_changes_in_block)
  // lists its account, accountChanges (EXPERIMENTAL_changes) shows the charge caused by the transaction.
  const included = outcome.transaction_outcome.block_hash;
  const touched = await provider.blockChanges({ blockId: included });
  expect(touched.block_hash === included
      && touched.changes?.some((c) => c.type === 'account_touched' && c.account_id === accountId),
    'v7 blockChanges of the including block lists the signer\'s account', touched);
  const charged = await provider.accountChanges([accountId], { blockId: included });
  expect(charged.changes?.some((c) => c.type === 'account_update' && c.change?.account_id === accountId
      && c.cause?.type === 'transaction_processing' && c.cause.tx_hash === outcome.transaction.hash),
    'v7 accountChanges shows the charge caused by the transaction', charged);

  const status = await provider.viewTransactionStatus({ txHash: outcome.transaction.hash, accountId });
  expect(status.transaction_outcome?.id === outcome.transaction.hash, 'v7 viewTransactionStatus finds the transaction',
    status.transaction_outcome);
  // The call's receipt as nearcore's ReceiptView, in the transaction's status and by its id.
  const withReceipts = await provider.viewTransactionStatusWithReceipts({ txHash: outcome.transaction.hash, accountId });
  const callReceipt = withReceipts.receipts?.find((r) => r.receipt_id === outcome.receipts_outcome[0].id);
  expect(callReceipt?.receipt?.Action?.signer_id === accountId
      && callReceipt.receipt.Action.actions?.[0]?.FunctionCall?.method_name === 'increment'
      && callReceipt.receiver_id === COUNTER,
    'v7 viewTransactionStatusWithReceipts shows the call receipt\'s body', withReceipts.receipts);
  const byId = await provider.viewTransactionReceipt(callReceipt.receipt_id);
  expect(JSON.stringify(byId) === JSON.stringify(callReceipt), 'v7 viewTransactionReceipt finds the same receipt', byId);

  const block = await provider.viewBlock({ finality: 'final' });
  const stale = createTransaction(accountId, publicKey, COUNTER, keyBefore.nonce + 1n,
    [actions.functionCall('increment', {}, GAS, 0n)], baseDecode(block.header.hash));
  const { signedTransaction } = await signer.signTransaction(stale);
  await expectTypedError(() => provider.sendTransaction(signedTransaction), 'v7 transaction with a spent nonce',
    (e) => expect(e instanceof InvalidNonceError, 'v7 error is InvalidNonceError',
      { name: e?.constructor?.name, message: e?.message }));
  if (ft) {
    await checkFtTransferCall(provider, account, ft);
  }
  if (relay) {
    await checkMetaTransaction(provider, account, relay);
  }
  if (implicit) {
    await checkImplicitAccount(provider, account);
  }
  return after;
}

// NEP-366 meta transaction: the sender signs a delegate action (near-api-js's NEP-461 hash and
// Borsh), the signing account relays it in its own transaction to the sender and pays the gas.
async function checkMetaTransaction(provider, relayer, { accountId, secretKey }) {
  const sender = new Account(accountId, provider, KeyPairSigner.fromSecretKey(secretKey));
  const count = () => provider.callFunction({ contractId: COUNTER, method: 'get_num', args: {} });
  const before = await count();
  const { signedDelegate } = await sender.createSignedMetaTransaction({
    receiverId: COUNTER,
    actions: [actions.functionCall('increment', {}, GAS, 0n)],
  });
  const outcome = await relayer.signAndSendTransaction({
    receiverId: accountId,
    actions: [actions.signedDelegate(signedDelegate)],
  });
  expect(outcome.status && 'SuccessValue' in outcome.status, 'v7 relayed delegate action outcome SuccessValue',
    outcome.status);
  expect(outcome.receipts_outcome.some((r) => r.outcome.executor_id === COUNTER
      && r.outcome.status && 'SuccessValue' in r.outcome.status),
    `v7 the delegated call ran on ${COUNTER}`, outcome.receipts_outcome);
  const after = await count();
  expect(after === before + 1, `v7 meta transaction moved the counter from ${before} to ${before + 1}`, after);
}

// A NEAR-implicit account as nearcore makes it: the account's transfer to the hex of a fresh ed25519 key
// creates it with that key (full access, 182 bytes of storage), and the key then signs its own transfer
// back, near-api-js reading the key's nonce as it does for any account.
async function checkImplicitAccount(provider, account) {
  const keyPair = KeyPair.fromRandom('ed25519');
  const implicitId = Buffer.from(keyPair.getPublicKey().data).toString('hex');
  const deposit = 10n ** 22n;
  const created = await account.signAndSendTransaction({
    receiverId: implicitId, actions: [actions.transfer(deposit)],
  });
  expect(created.status && 'SuccessValue' in created.status, 'v7 transfer to a new implicit account succeeds',
    created.status);
  const implicit = new Account(implicitId, provider, new KeyPairSigner(keyPair));
  const state = await implicit.getState();
  expect(state.balance.total === deposit && state.storageUsage === 182,
    'v7 the implicit account holds the deposit in 182 bytes',
    { total: String(state.balance.total), storageUsage: state.storageUsage });
  const key = await implicit.getAccessKey(keyPair.getPublicKey());
  expect(key.permission === 'FullAccess',
    'v7 the implicit account\'s key is the full-access key its id spells', key);
  const back = await implicit.signAndSendTransaction({
    receiverId: account.accountId, actions: [actions.transfer(10n ** 21n)],
  });
  expect(back.status && 'SuccessValue' in back.status && back.transaction?.signer_id === implicitId,
    'v7 the implicit account signs with its key', back.status);
}

// NEP-141 ft_transfer_call signed by the account: the receiver keeps 7 of 10 and returns 3, which
// ft_resolve_transfer refunds; the result is the used amount.
async function checkFtTransferCall(provider, account, { token, receiver }) {
  const balance = async (id) => BigInt(await provider.callFunction({
    contractId: token, method: 'ft_balance_of', args: { account_id: id },
  }));
  const [senderBefore, receiverBefore] = [await balance(account.accountId), await balance(receiver)];
  const outcome = await account.signAndSendTransaction({
    receiverId: token,
    actions: [actions.functionCall('ft_transfer_call', { receiver_id: receiver, amount: '10', msg: 'return:3' },
      100_000_000_000_000n, 1n)],
  });
  const used = JSON.parse(Buffer.from(outcome.status?.SuccessValue ?? '', 'base64').toString() || 'null');
  expect(used === '7', 'v7 ft_transfer_call returns the used amount', outcome.status);
  const [senderAfter, receiverAfter] = [await balance(account.accountId), await balance(receiver)];
  expect(senderAfter === senderBefore - 7n && receiverAfter === receiverBefore + 7n,
    'v7 ft_transfer_call moved 7 tokens (10 sent, 3 refunded)',
    { senderBefore: String(senderBefore), senderAfter: String(senderAfter), receiverAfter: String(receiverAfter) });
  // ft_on_transfer's result reaches ft_resolve_transfer as a data receipt (nearcore's DataReceipt): the chunk
  // after the receiver's lists it, viewTransactionReceipt finds it, and the transaction's receipts (those
  // with an outcome) leave it out.
  const onReceiver = outcome.receipts_outcome.find((r) => r.outcome.executor_id === receiver);
  const ranAt = await provider.viewBlock({ blockId: onReceiver.block_hash });
  const chunk = await provider.viewChunk([ranAt.header.height + 1, 0]);
  const data = chunk.receipts?.find((r) => r.receipt?.Data && r.receiver_id === token);
  expect(data?.predecessor_id === receiver && data.receipt.Data.is_promise_resume === false
      && typeof data.receipt.Data.data_id === 'string',
    'v7 viewChunk lists the data receipt ft_resolve_transfer waits on', chunk.receipts);
  const dataById = await provider.viewTransactionReceipt(data.receipt_id);
  expect(JSON.stringify(dataById) === JSON.stringify(data), 'v7 viewTransactionReceipt finds the data receipt', dataById);
  const withReceipts = await provider.viewTransactionStatusWithReceipts({
    txHash: outcome.transaction.hash, accountId: account.accountId,
  });
  expect(withReceipts.receipts?.length > 0 && !withReceipts.receipts.some((r) => r.receipt_id === data.receipt_id),
    'v7 viewTransactionStatusWithReceipts lists only receipts with an outcome', withReceipts.receipts);
}

function parseArgs(argv) {
  const options = { urls: [] };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--signer') {
      options.signer = { accountId: argv[++i], secretKey: argv[++i] };
    } else if (argv[i] === '--api-key') {
      options.apiKey = argv[++i];
    } else if (argv[i] === '--relay') {
      options.relay = { accountId: argv[++i], secretKey: argv[++i] };
    } else if (argv[i] === '--implicit') {
      options.implicit = true;
    } else if (argv[i] === '--ft') {
      options.ft = { token: argv[++i], receiver: argv[++i] };
    } else {
      options.urls.push(argv[i]);
    }
  }
  if (options.signer) Object.assign(options.signer, {
    apiKey: options.apiKey, ft: options.ft, relay: options.relay, implicit: options.implicit,
  });
  return options;
}

async function main(argv) {
  const { urls, signer } = parseArgs(argv);
  if (urls.length === 0 || (signer && !signer.secretKey)) {
    console.error('usage: node near-api-js-check.mjs [--signer <account_id> <secret_key> [--api-key <key>] [--ft <token> <receiver>] [--relay <sender_id> <sender_secret_key>] [--implicit]] <rpc-url> ...');
    return 2;
  }
  for (const url of urls) {
    try {
      const seen = await checkV5(url);
      await checkV7(url, seen);
      console.log(`OK ${url}: near-api-js 5.x and 7.x agree with the endpoint (block ${seen.height} ${seen.hash})`);
      if (signer) {
        const counter = await checkTransactions(url, signer);
        console.log(`OK ${url}: near-api-js 7.x Account + KeyPairSigner functionCall as ${signer.accountId} (counter ${counter})`
          + (signer.ft ? `, ft_transfer_call on ${signer.ft.token} refunded` : '')
          + (signer.relay ? `, meta transaction of ${signer.relay.accountId} relayed` : '')
          + (signer.implicit ? ', implicit account created and signing' : ''));
      }
    } catch (e) {
      const detail = e instanceof Mismatch ? e.message : `${e?.constructor?.name}: ${e?.message}`;
      console.error(`MISMATCH ${url}: ${detail}`);
      return 1;
    }
  }
  return 0;
}

process.exitCode = await main(process.argv.slice(2));
