// The V8 baseline of ExecutionModeSimulation: one contract method as bare WebAssembly in Node, a fresh
// WebAssembly.Instance per call with the same no-op host as the simulation's BareWasm (zeros everywhere,
// the arguments through register 0, a zero deposit). Prints one JSON line: the calls' times in nanoseconds.
//   node bare-wasm.mjs <file.wasm> <method> <args-json> <warm-up calls> <measured calls>
import { readFileSync } from 'node:fs';

const [file, method, argsJson, warmUp, calls] = process.argv.slice(2);
const module = new WebAssembly.Module(readFileSync(file));
const args = new TextEncoder().encode(argsJson);
const NO_REGISTER = 0xffffffffffffffffn;

function call() {
  let memory;
  const host = {
    register_len: (id) => (id === 0n ? BigInt(args.length) : NO_REGISTER),
    read_register: (id, ptr) => { new Uint8Array(memory.buffer, Number(ptr), args.length).set(args); },
    attached_deposit: (ptr) => { new Uint8Array(memory.buffer, Number(ptr), 16).fill(0); },
    panic: () => { throw new Error('the contract panicked'); },
    panic_utf8: () => { throw new Error('the contract panicked'); },
    abort: () => { throw new Error('the contract aborted'); },
  };
  const env = {};
  for (const imp of WebAssembly.Module.imports(module)) {
    if (imp.kind === 'function') {
      env[imp.name] = host[imp.name] ?? (() => 0n); // every NEAR host function returns u64 or nothing
    } else if (imp.kind === 'memory') {
      env[imp.name] = memory = new WebAssembly.Memory({ initial: 17, maximum: 2048 });
    }
  }
  const start = process.hrtime.bigint();
  const instance = new WebAssembly.Instance(module, { env });
  memory ??= instance.exports.memory;
  instance.exports[method]();
  return Number(process.hrtime.bigint() - start);
}

for (let i = 0; i < Number(warmUp); i++) call();
const nanos = [];
for (let i = 0; i < Number(calls); i++) nanos.push(call());
console.log(JSON.stringify({ method, nanos }));
