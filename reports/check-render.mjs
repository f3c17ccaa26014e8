// Opens the generated report site in headless Debian Chromium and fails unless each page renders:
// a non-blank screenshot, no console error, no failed request, and the spec's matrix table present.
// Usage: node reports/check-render.mjs [reports-dir]   (needs `npm ci` in reports/ and Debian's chromium)
import { chromium } from 'playwright-core';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const siteDir = resolve(process.argv[2] ?? dirname(fileURLToPath(import.meta.url)));
const executablePath = process.env.CHROMIUM ?? '/usr/bin/chromium';
const pages = [
  { file: 'index.html', tables: ['#target-matrix', '#runs'] },
  { file: 'summary.html', tables: ['#target-matrix', '#summary-table'] },
];

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
  for (const { file, tables } of pages) {
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
    const verdictCells = await page.locator('table#target-matrix td.green, table#target-matrix td.amber, table#target-matrix td.red, table#target-matrix td.not-measured').count();
    if (verdictCells < 7) problems.push(`target matrix has ${verdictCells} verdict cells, expected 7`);

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
