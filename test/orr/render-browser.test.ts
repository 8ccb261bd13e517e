import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { pathToFileURL } from 'url';
import { Browser, BrowserContext, chromium, Page } from 'playwright-core';
import { ALARM_ACTION_FIX, QUOTES_RUNBOOK_URL, REPORT, SCRIPT_PAYLOAD } from './fixtures/report';
import { renderHtml } from '../../src/orr/render-html';

/**
 * What a person sees when they open the HTML readiness report: Debian's Chromium, headless, no network. playwright-core
 * drives it and never downloads a browser; CI installs the `chromium` package (.ci/run).
 */
const CHROMIUM = '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync'];

let dir: string;
let pageUrl: string;
let browser: Browser;
let context: BrowserContext;
let page: Page;
const requests: string[] = [];
const dialogs: string[] = [];
const consoleErrors: string[] = [];

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`${CHROMIUM} is missing: the browser test of the HTML readiness report needs Debian's Chromium. ` +
      'Install it with `sudo apt-get install chromium` (CI installs it in .ci/run); playwright-core never downloads a browser.');
  }
  dir = mkdtempSync(join(tmpdir(), 'orr-html-'));
  const file = join(dir, 'readiness.html');
  writeFileSync(file, renderHtml(REPORT));
  pageUrl = pathToFileURL(file).href;
  // chromium.launch gives each run a fresh, temporary user-data-dir.
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
  context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  context.on('request', (r) => { requests.push(r.url()); });
  page = await context.newPage();
  page.on('dialog', (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  page.on('console', (m) => { if (m.type() === 'error') consoleErrors.push(m.text()); });
  const response = await page.goto(pageUrl, { waitUntil: 'load' });
  expect(response?.ok() ?? true).toBe(true);
});

afterAll(async () => {
  await browser?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

test('the page shows the services, their maturity and the fix of the high-risk issue', async () => {
  expect(await page.title()).toBe('Operational readiness review: freight (2026-06-01)');
  const body = await page.innerText('body');
  for (const text of ['price-updates', 'quote-api', 'quotes', 'Bronze', 'Silver', 'None', 'Assessed on 2026-06-01',
    'Critical-tier or unowned scopes with a high-risk issue: freight/quote-api']) {
    expect(body).toContain(text);
  }
  // The long sections render when scrolled to (content-visibility: auto).
  const issues = page.locator('#issues');
  await issues.scrollIntoViewIfNeeded();
  expect(await issues.innerText()).toContain(`Fix: OPS-AlarmAction: ${ALARM_ACTION_FIX}`);
});

test('the scorecard table rows as displayed', async () => {
  const rows = await page.locator('table.scorecard tbody tr').allInnerTexts();
  const [freight, priceUpdates, quoteApi, quotes] = [REPORT.workloads[0], ...REPORT.services];
  expect(rows.map((r) => r.split('\t').map((c) => c.trim()))).toEqual([
    ['freight', 'critical', 'pricing', 'None', String(freight.score), '1', '2', '3', '—'],
    ['price-updates', 'standard', 'pricing', 'Silver', String(priceUpdates.score), '0', '0', '0', '—'],
    ['quote-api', 'critical', 'pricing', 'None', String(quoteApi.score), '1', '1', '0', '—'],
    ['quotes', 'critical', 'pricing', 'Bronze', String(quotes.score), '0', '3', '1', '—'],
  ]);
  expect(await page.locator('table.scorecard').first().locator('thead th').allInnerTexts())
    .toEqual(['Workload', 'Tier', 'Owner', 'Maturity', 'Score', 'HRI', 'MRI', 'Services', 'Since last review']);
  expect(await page.locator('table.scorecard').nth(1).locator('thead th').allInnerTexts())
    .toEqual(['Service', 'Tier', 'Owner', 'Maturity', 'Score', 'HRI', 'MRI', 'Game days', 'Since last review']);
});

test('the alarm catalogue links the runbook URL', async () => {
  await page.locator('#alarms').scrollIntoViewIfNeeded();
  const page1 = page.locator('table.alarms tbody tr', { hasText: 'freight-quotes-page' });
  expect((await page1.innerText()).split('\t').map((c) => c.trim()))
    .toEqual(['freight-quotes-page', 'composite', 'PAGE', 'pricing', QUOTES_RUNBOOK_URL, 'freight/quotes', 'yes, 2 actions']);
  const link = page1.getByRole('link');
  expect(await link.getAttribute('href')).toBe(QUOTES_RUNBOOK_URL);
  expect(await link.evaluate((a) => (a as unknown as { href: string }).href)).toBe(QUOTES_RUNBOOK_URL);
  // An SSM document name is shown as text, not as a link.
  expect(await page.locator('table.alarms tbody tr', { hasText: 'freight-quotes-ticket' }).getByRole('link').count()).toBe(0);
  const rows = await page.locator('table.runbooks tbody tr').allInnerTexts();
  expect(rows.map((r) => r.split('\t')[0].trim())).toEqual(['freight-quotes-diagnose', 'freight-quotes-restart']);
});

test('data that looks like a script is shown as text and never runs', async () => {
  expect(await page.textContent('body')).toContain(SCRIPT_PAYLOAD);
  expect(await page.locator('script').count()).toBe(0);
  expect(await page.evaluate(() => (globalThis as unknown as { __pwned?: unknown }).__pwned)).toBeUndefined();
  expect(dialogs).toEqual([]);
  expect(consoleErrors).toEqual([]);
});

test('practice tables are collapsed until their summary is clicked', async () => {
  const details = page.locator('details', { has: page.locator('summary', { hasText: 'freight/quotes — Bronze' }) });
  expect(await details.count()).toBe(1);
  await details.scrollIntoViewIfNeeded();
  const row = details.locator('tbody tr', { hasText: 'OPS07' });
  expect(await details.evaluate((d) => (d as unknown as { open: boolean }).open)).toBe(false);
  expect(await row.isVisible()).toBe(false);
  await details.locator('summary').click();
  expect(await details.evaluate((d) => (d as unknown as { open: boolean }).open)).toBe(true);
  expect(await row.isVisible()).toBe(true);
  // Question OPS07: BP01 attested, BP04 needs attestation (columns: Met, Attested, Acknowledged, Not met, Needs attestation, Not applicable).
  expect((await row.innerText()).split('\t').map((c) => c.trim())).toEqual(['OPS07', '', 'BP01', '', '', 'BP04', '']);
});

test('a screenshot of the whole page', async () => {
  const png = join(dir, 'readiness.png');
  await page.screenshot({ path: png, fullPage: true });
  const bytes = readFileSync(png);
  expect(bytes.length).toBeGreaterThan(10_000);
  expect(bytes.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
});

test('no network request but the page itself', () => {
  expect(requests).toEqual([pageUrl]);
});
