// A small NEAR host for testing the bundled contracts in Node's own WebAssembly engine.
// It follows nearcore's runtime/near-vm-runner/src/logic/logic.rs for the host functions the
// contracts may import: u64 registers (register_len = u64::MAX when unset), storage return codes
// with the evicted value put in the register, u128 little-endian balances, ProhibitedInView for
// state-changing calls in views, panics as GuestPanic, and every storage change of a failed
// call rolled back. No gas is charged: this checks contract behaviour, the Java runtime meters.
// Any import not implemented here fails the call with HostError naming it.

import { createHash } from 'node:crypto';

const U64_MAX = (1n << 64n) - 1n;
const STORAGE_PRICE_PER_BYTE = 10n ** 19n; // NEAR's storage_amount_per_byte, yoctoNEAR
const ACCOUNT_RECORD_BYTES = 100n; // num_bytes_account
const DATA_RECORD_EXTRA_BYTES = 40n; // num_extra_bytes_record

export class HostError extends Error {
  constructor(kind, message) {
    super(message);
    this.kind = kind;
  }
}

const utf8 = new TextDecoder('utf-8', { fatal: true });
const encode = (s) => new TextEncoder().encode(s);
const hex = (bytes) => Buffer.from(bytes).toString('hex');

export class NearRuntime {
  constructor() {
    this.accounts = new Map();
    this.blockHeight = 1000n;
  }

  deploy(accountId, wasmBytes, balance = 100n * 10n ** 24n) {
    const module = new WebAssembly.Module(wasmBytes);
    for (const imp of WebAssembly.Module.imports(module)) {
      if (imp.module !== 'env') throw new Error(`import ${imp.module}.${imp.name} is not from env`);
    }
    const account = this.accounts.get(accountId) ?? { storage: new Map(), balance };
    account.module = module;
    account.codeSize = BigInt(wasmBytes.length);
    this.accounts.set(accountId, account);
    return account;
  }

  storageUsage(accountId) {
    const account = this.accounts.get(accountId);
    let usage = ACCOUNT_RECORD_BYTES + account.codeSize;
    for (const { key, value } of account.storage.values()) {
      usage += BigInt(key.length + value.length) + DATA_RECORD_EXTRA_BYTES;
    }
    return usage;
  }

  /**
   * Calls `method` on `accountId`. args: object (JSON-encoded), string or Uint8Array.
   * Returns {ok, result (string|null), json(), logs, promises, error:{kind,message}}.
   */
  call(accountId, method, args = {}, opts = {}) {
    const account = this.accounts.get(accountId);
    if (!account) throw new Error(`no account ${accountId}`);
    const input = args instanceof Uint8Array ? args : encode(typeof args === 'string' ? args : JSON.stringify(args));
    const ctx = {
      view: !!opts.view,
      current: accountId,
      predecessor: opts.predecessor ?? 'alice.test.near',
      signer: opts.signer ?? opts.predecessor ?? 'alice.test.near',
      deposit: BigInt(opts.deposit ?? 0),
      input,
    };
    const snapshot = new Map(account.storage);
    const outcome = { ok: false, result: null, logs: [], promises: [], error: null };
    try {
      this.#execute(account, method, ctx, outcome);
      outcome.ok = true;
    } catch (e) {
      account.storage = snapshot; // a failed call changes no state
      outcome.promises = [];
      outcome.error = e instanceof HostError ? { kind: e.kind, message: e.message }
        : e instanceof WebAssembly.RuntimeError ? { kind: 'WasmTrap', message: e.message }
        : { kind: 'HostError', message: String(e && e.stack || e) };
    }
    outcome.json = () => (outcome.result === null ? undefined : JSON.parse(outcome.result));
    return outcome;
  }

  view(accountId, method, args = {}) {
    return this.call(accountId, method, args, { view: true });
  }

  #execute(account, method, ctx, outcome) {
    const registers = new Map();
    let memory = null;
    const mem = () => new Uint8Array(memory.buffer);
    const readMem = (len, ptr) => {
      const [l, p] = [Number(len), Number(ptr)];
      if (p + l > memory.buffer.byteLength) throw new HostError('MemoryAccessViolation', `read ${l} bytes at ${p}`);
      return mem().slice(p, p + l);
    };
    const writeMem = (ptr, bytes) => {
      const p = Number(ptr);
      if (p + bytes.length > memory.buffer.byteLength) throw new HostError('MemoryAccessViolation', `write at ${p}`);
      mem().set(bytes, p);
    };
    const setRegister = (id, bytes) => registers.set(BigInt.asUintN(64, id), Uint8Array.from(bytes));
    const u128le = (v) => {
      const out = new Uint8Array(16);
      for (let i = 0; i < 16; i++) out[i] = Number((v >> BigInt(8 * i)) & 0xffn);
      return out;
    };
    const readU128 = (ptr) => readMem(16n, ptr).reduceRight((acc, b) => (acc << 8n) | BigInt(b), 0n);
    const notInView = (name) => {
      if (ctx.view) throw new HostError('ProhibitedInView', `${name} is not allowed in view calls`);
    };
    const storageKey = (len, ptr) => {
      const key = readMem(len, ptr);
      return { key, id: hex(key) };
    };
    const evict = (id, registerId) => {
      const old = account.storage.get(id);
      if (!old) return 0n;
      setRegister(registerId, old.value);
      return 1n;
    };

    const env = {
      read_register(id, ptr) {
        const r = registers.get(BigInt.asUintN(64, id));
        if (!r) throw new HostError('InvalidRegisterId', `register ${id} is not set`);
        writeMem(ptr, r);
      },
      register_len(id) {
        const r = registers.get(BigInt.asUintN(64, id));
        return r ? BigInt(r.length) : U64_MAX;
      },
      input(id) { setRegister(id, ctx.input); },
      current_account_id(id) { setRegister(id, encode(ctx.current)); },
      signer_account_id(id) { notInView('signer_account_id'); setRegister(id, encode(ctx.signer)); },
      predecessor_account_id(id) { notInView('predecessor_account_id'); setRegister(id, encode(ctx.predecessor)); },
      block_index: () => this.blockHeight,
      block_timestamp: () => this.blockHeight * 1_000_000_000n,
      storage_usage: () => this.storageUsage(ctx.current),
      account_balance(ptr) { writeMem(ptr, u128le(account.balance)); },
      attached_deposit(ptr) { notInView('attached_deposit'); writeMem(ptr, u128le(ctx.deposit)); },
      sha256(len, ptr, id) {
        setRegister(id, new Uint8Array(createHash('sha256').update(readMem(len, ptr)).digest()));
      },
      value_return(len, ptr) { outcome.result = utf8.decode(readMem(len, ptr)); },
      panic() { throw new HostError('GuestPanic', 'explicit guest panic'); },
      panic_utf8(len, ptr) {
        let msg;
        try { msg = utf8.decode(readMem(len, ptr)); } catch { throw new HostError('BadUTF8', 'panic message is not UTF-8'); }
        throw new HostError('GuestPanic', msg);
      },
      log_utf8(len, ptr) {
        try { outcome.logs.push(utf8.decode(readMem(len, ptr))); } catch { throw new HostError('BadUTF8', 'log is not UTF-8'); }
      },
      promise_batch_create(len, ptr) {
        notInView('promise_batch_create');
        outcome.promises.push({ receiver_id: utf8.decode(readMem(len, ptr)), actions: [] });
        return BigInt(outcome.promises.length - 1);
      },
      promise_batch_action_transfer(index, amountPtr) {
        notInView('promise_batch_action_transfer');
        const p = outcome.promises[Number(index)];
        if (!p) throw new HostError('InvalidPromiseIndex', `promise ${index}`);
        p.actions.push({ Transfer: { deposit: readU128(amountPtr).toString() } });
      },
      storage_write(klen, kptr, vlen, vptr, id) {
        notInView('storage_write');
        const { key, id: k } = storageKey(klen, kptr);
        const value = readMem(vlen, vptr);
        const existed = evict(k, id);
        account.storage.set(k, { key, value });
        return existed;
      },
      storage_read(klen, kptr, id) {
        const { id: k } = storageKey(klen, kptr);
        const entry = account.storage.get(k);
        if (!entry) return 0n;
        setRegister(id, entry.value);
        return 1n;
      },
      storage_remove(klen, kptr, id) {
        notInView('storage_remove');
        const { id: k } = storageKey(klen, kptr);
        const existed = evict(k, id);
        account.storage.delete(k);
        return existed;
      },
      storage_has_key(klen, kptr) {
        return account.storage.has(storageKey(klen, kptr).id) ? 1n : 0n;
      },
    };

    const imports = { env: {} };
    for (const imp of WebAssembly.Module.imports(account.module)) {
      imports.env[imp.name] = env[imp.name] ?? (() => {
        throw new HostError('HostError', `host function ${imp.name} is not implemented`);
      });
    }
    const instance = new WebAssembly.Instance(account.module, imports); // fresh memory every call
    memory = instance.exports.memory;
    const fn = instance.exports[method];
    if (typeof fn !== 'function') throw new HostError('MethodNotFound', `method ${method} not found`);
    fn();
  }
}

export { STORAGE_PRICE_PER_BYTE };
