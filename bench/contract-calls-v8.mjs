// The V8 anchor of bench/contract-calls: the same wasm, a fresh `new WebAssembly.Instance` per
// call (fresh linear memory, data segments applied) and the method called, with a no-op host
// (every env function returns 0, so storage reads find nothing). Prints one JSON line per file:
//   {"name", "p50_us", "p90_us", "p99_us", "calls", "compile_ms", "first_call_ms"}
// Usage: node bench/contract-calls-v8.mjs <seconds> <name>=<file.wasm>:<method>[:<seconds>] ...
// (a file's own seconds, 0 for compile + first call only: its percentiles are then null)
import { readFileSync } from 'node:fs';

const defaultSeconds = Number(process.argv[2]);

function imports(module) {
  const env = {};
  for (const imp of WebAssembly.Module.imports(module)) {
    if (imp.kind === 'function') env[imp.name] = () => 0n;
    else if (imp.kind === 'memory') env[imp.name] = null; // filled per instance
  }
  return env;
}

function instantiate(module, env) {
  if ('memory' in env) env.memory = new WebAssembly.Memory({ initial: 17, maximum: 2048 });
  return new WebAssembly.Instance(module, { env });
}

function percentile(sorted, p) {
  if (sorted.length === 0) return null;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

for (const spec of process.argv.slice(3)) {
  const [name, rest] = spec.split('=');
  const [file, method, own] = rest.split(':');
  const seconds = own === undefined ? defaultSeconds : Number(own);
  const bytes = readFileSync(file);
  const t0 = process.hrtime.bigint();
  const module = new WebAssembly.Module(bytes);
  const t1 = process.hrtime.bigint();
  const env = imports(module);
  instantiate(module, env).exports[method]();
  const t2 = process.hrtime.bigint();
  const end = Date.now() + seconds * 1000;
  const warmEnd = Date.now() + Math.min(2000, seconds * 300);
  while (Date.now() < warmEnd) instantiate(module, env).exports[method]();
  const samples = [];
  while (Date.now() < end) {
    const s = process.hrtime.bigint();
    instantiate(module, env).exports[method]();
    samples.push(Number(process.hrtime.bigint() - s) / 1000);
  }
  samples.sort((a, b) => a - b);
  console.log(JSON.stringify({
    name,
    p50_us: percentile(samples, 50),
    p90_us: percentile(samples, 90),
    p99_us: percentile(samples, 99),
    calls: samples.length,
    compile_ms: Number(t1 - t0) / 1e6,
    first_call_ms: Number(t2 - t1) / 1e6,
  }));
}
