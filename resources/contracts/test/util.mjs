import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import assert from 'node:assert/strict';

const contractsDir = join(dirname(fileURLToPath(import.meta.url)), '..');

/** The committed binary resources/contracts/<name>.wasm (CONTRACTS_DIR overrides the directory). */
export function loadContract(name) {
  return readFileSync(join(process.env.CONTRACTS_DIR ?? contractsDir, `${name}.wasm`));
}

/** Asserts the call failed with a guest panic whose message contains `text`. */
export function expectPanic(outcome, text) {
  assert.equal(outcome.ok, false, `expected a panic containing "${text}", call succeeded`);
  assert.equal(outcome.error.kind, 'GuestPanic', JSON.stringify(outcome.error));
  assert.ok(outcome.error.message.includes(text), `panic "${outcome.error.message}" lacks "${text}"`);
}
