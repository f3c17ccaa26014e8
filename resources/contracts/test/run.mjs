// Runs every contract test against the committed binaries, or against the ones in DIR (for
// example a rebuild: resources/contracts/build.sh --out DIR):
//   node resources/contracts/test/run.mjs [DIR]
// (node:test reports TAP and exits non-zero when a test fails.)
import { resolve } from 'node:path';

if (process.argv[2]) {
  process.env.CONTRACTS_DIR = resolve(process.argv[2]);
}
console.log(`# contracts from ${process.env.CONTRACTS_DIR ?? 'resources/contracts (committed)'}`);
// Imported only now, so that every test loads its binary from the directory chosen above.
await import('./counter.test.mjs');
await import('./nft.test.mjs');
await import('./compute.test.mjs');
