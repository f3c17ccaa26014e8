// Opens the generated report site in headless Debian Chromium and fails unless each page renders:
// a non-blank screenshot, no console error, no failed request, the spec's matrix table present, every page
// naming its run set and form (CI form in a banner), every measured cell showing median, spread + run count
// and whose thresholds judge it, and trends.html drawing one chart section per matrix row.
// Usage: node reports/check-render.mjs [reports-dir]   (needs `npm ci` in reports/ and Debian's chromium)
import { chromium } from 'playwright-core';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const siteDir = resolve(process.argv[2] ?? dirname(fileURLToPath(import.meta.url)));
const executablePath = process.env.CHROMIUM ?? '/usr/bin/chromium';
const pages = [
  { file: 'index.html', tables: ['#target-matrix', '#runs'], matrix: true },
  { file: 'summary.html', tables: ['#target-matrix', '#summary-table'], matrix: true },
  { file: 'trends.html', tables: [], trends: true },
];
const summaryJson = join(siteDir, 'summary.json');
const summary = existsSync(summaryJson) ? JSON.parse(readFileSync(summaryJson, 'utf8')) : null;
const verdicts = ['green', 'amber', 'red', 'inconclusive', 'failed', 'not-measured'];

const failures = [];
const userDataDir = mkdtempSync(join(tmpdir(), 'outlayer-render-'));
let context;
try {
  context = await chromium.launchPersistentContext(userDataDir, {
    executablePath,
    headless: true,
    viewport: { width: 1280, height: 900 },
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  for (const { file, tables, matrix, trends } of pages) {
    const path = join(siteDir, file);
    if (!existsSync(path)) {
      failures.push(`${file}: missing (run reports/build first)`);
      continue;
    }
    const page = await context.newPage();
    const problems = [];
    page.on('console', (msg) => { if (msg.type() === 'error') problems.push(`console error: ${msg.text()}`); });
    page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
    page.on('requestfailed', (req) => problems.push(`request failed: ${req.url()} ${req.failure()?.errorText ?? ''}`));
    page.on('request', (req) => {
      if (!req.url().startsWith('file:') && !req.url().startsWith('data:')) problems.push(`fetched at view time: ${req.url()}`);
    });
    await page.goto(pathToFileURL(path).href, { waitUntil: 'load' });

    for (const selector of tables) {
      const rows = await page.locator(`table${selector} tbody tr`).count();
      if (rows === 0) problems.push(`table ${selector} missing or empty`);
    }
    // Every page says which runs its numbers come from; a CI-form site says so in its banner.
    const banner = (await page.locator('#run-set').textContent()) ?? '';
    if (!banner.includes('Matrix built from')) problems.push('no run-set banner');
    if (summary?.run_set?.ci_form && !(banner.includes('CI FORM') && await page.locator('#run-set.ci-form').isVisible())) {
      problems.push('CI-form site without a visible CI FORM banner');
    }
    if (matrix) {
      const verdictCells = await page.locator(verdicts.map((v) => `table#target-matrix td.${v}`).join(', ')).count();
      if (verdictCells < 7) problems.push(`target matrix has ${verdictCells} verdict cells, expected 7`);
      // A cell with a value shows median, spread + n and its thresholds' origin, visibly.
      const measured = page.locator(['green', 'amber', 'red', 'inconclusive', 'failed'].map((v) => `table.matrix td.${v}`).join(', '));
      for (let i = 0; i < await measured.count(); i++) {
        const cell = measured.nth(i);
        const spread = (await cell.locator('small.spread').textContent()) ?? '';
        const failed = (await cell.getAttribute('class')) === 'failed';
        if (!failed && !/n=\d+/.test(spread)) problems.push(`cell ${i}: no run count in "${spread}"`);
        if (failed && !(await cell.textContent()).includes('failed')) problems.push(`failed cell ${i} does not say failed`);
        if (!(await cell.locator('small.origin').isVisible())) problems.push(`cell ${i}: thresholds' origin not shown`);
      }
      if (summary?.target_matrix) {
        const expected = summary.target_matrix.length;
        const rows = await page.locator('table#target-matrix tbody tr').count();
        if (rows !== expected) problems.push(`target matrix has ${rows} rows, summary.json ${expected}`);
      }
    }
    if (trends) {
      const sections = await page.locator('section.trend').count();
      const hasSuites = (summary?.run_set?.suite ?? false);
      if (hasSuites && sections < 7) problems.push(`trends: ${sections} row sections, expected one per matrix row`);
      const charts = await page.locator('section.trend svg').count();
      if (hasSuites && charts === 0) problems.push('trends: no chart although a suite ran');
      for (let i = 0; i < charts; i++) {
        const box = await page.locator('section.trend svg').nth(i).boundingBox();
        if (!box || box.width < 100 || box.height < 100) problems.push(`trend chart ${i} not laid out`);
      }
    }

    const png = await page.screenshot({ fullPage: true });
    const shot = join(siteDir, `.render-${file.replace('.html', '')}.png`);
    writeFileSync(shot, png);
    // Blank = (nearly) one colour: count distinct colours among sampled pixels of the rendered page.
    const colours = await page.evaluate(async (dataUrl) => {
      const img = new Image();
      img.src = dataUrl;
      await img.decode();
      const canvas = document.createElement('canvas');
      canvas.width = img.width; canvas.height = img.height;
      const ctx = canvas.getContext('2d');
      ctx.drawImage(img, 0, 0);
      const data = ctx.getImageData(0, 0, img.width, img.height).data;
      const seen = new Set();
      for (let i = 0; i < data.length; i += 4 * 97) seen.add((data[i] << 16) | (data[i + 1] << 8) | data[i + 2]);
      return seen.size;
    }, `data:image/png;base64,${png.toString('base64')}`);
    if (colours < 8) problems.push(`screenshot looks blank (${colours} colours)`);

    console.log(`${problems.length ? 'FAIL' : 'ok  '} ${file}: ${colours} colours, screenshot ${shot}`);
    problems.forEach((p) => failures.push(`${file}: ${p}`));
    await page.close();
  }
} catch (err) {
  failures.push(`could not render with ${executablePath}: ${err.message}`);
} finally {
  await context?.close();
  rmSync(userDataDir, { recursive: true, force: true });
}

if (failures.length) {
  failures.forEach((f) => console.error(f));
  console.log(`render check: ${failures.length} problem(s)`);
  process.exit(1);
}
console.log(`render check: ${pages.length} pages rendered`);
