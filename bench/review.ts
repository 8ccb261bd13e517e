/* eslint-disable no-console */
import { mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { pathToFileURL } from 'url';
import { chromium } from 'playwright-core';
import { median } from './checks';
import { build } from './services';
import { ReadinessReview } from '../src';

/**
 * The readiness review at the scale of the reference user: 120 services (60 Lambda functions, each behind its own
 * REST API: 2 services per pair) in 15 stacks. Baseline: the synth of the same app (construct + app.synth()), median
 * of the same number of runs after a warm-up, in the same run. Then the report sizes and the time Chromium takes to
 * open the HTML report (Debian's /usr/bin/chromium, headless, `load` event).
 */

const PAIRS = 60;
const PAIRS_PER_STACK = 4;

export async function benchReview(runs: number): Promise<void> {
  const fmt = (n: number, d = 1) => n.toFixed(d);
  console.log(`\n## Readiness review at 120 services in 15 stacks (${PAIRS} Lambda + REST API pairs, ${PAIRS_PER_STACK} per stack)\n`);
  console.log('Median of runs after a warm-up. Baseline: the synth of the same app in the same run. Targets: review <= 0.5x synth, ' +
    'JSON <= 2 MB, the HTML report opens in Chromium in < 2 s.\n');
  const synthMs = median(runs, () => build('operable', PAIRS, PAIRS_PER_STACK));
  const directory = build('operable', PAIRS, PAIRS_PER_STACK).app.synth().directory;
  let review: ReadinessReview | undefined;
  const reviewMs = median(runs, () => { review = ReadinessReview.fromAssembly(directory, { assessedOn: '2026-11-24' }); });
  const json = review!.toJson();
  const markdown = review!.toMarkdown();
  const html = review!.toHtml();
  const mb = (text: string) => Buffer.byteLength(text, 'utf8') / 1e6;
  console.log(`services reviewed        ${review!.report.summary.services} in ${review!.report.stacks.length} stacks`);
  console.log(`synth ms (baseline)      ${fmt(synthMs)}`);
  console.log(`review ms                ${fmt(reviewMs)}`);
  console.log(`review / synth           ${fmt(reviewMs / synthMs, 2)}   (target <= 0.50)`);
  console.log(`JSON report MB           ${fmt(mb(json), 2)}   (target <= 2.00)`);
  console.log(`Markdown report MB       ${fmt(mb(markdown), 2)}`);
  console.log(`HTML report MB           ${fmt(mb(html), 2)}`);

  const dir = mkdtempSync(join(tmpdir(), 'bench-orr-'));
  const file = join(dir, 'readiness.html');
  writeFileSync(file, html);
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu'] });
  try {
    const samples: number[] = [];
    for (let r = 0; r <= runs; r++) {
      const page = await browser.newPage();
      const t0 = process.hrtime.bigint();
      await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
      const ms = Number(process.hrtime.bigint() - t0) / 1e6;
      if (r > 0) samples.push(ms); // the first open warms the browser up
      await page.close();
    }
    samples.sort((a, b) => a - b);
    console.log(`HTML open in Chromium ms ${fmt(samples[Math.floor(samples.length / 2)])}   (target < 2000)`);
  } finally {
    await browser.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
