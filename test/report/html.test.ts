/**
 * The HTML report opened in a real headless Chromium: it draws every chart with data, logs
 * no error or warning, requests nothing but its own file, and shows the summary table.
 * The run leaves a screenshot in test-output/report.png for a person to look at.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { shownText } from '../../src/config/shown.ts';
import { compileCharts, renderHtml } from '../../src/report/html.ts';
import type { Report } from '../../src/report/model.ts';
import { launchChromium, type Browser } from './browser.ts';
import { summaryTable } from '../../src/report/build.ts';
import { fixtureReport, fixtureSweep } from './fixture.ts';

const CHART_IDS = ['chart-cdf', 'chart-timeline', 'chart-resources', 'chart-tradeoff', 'chart-stages'];
const SCREENSHOT = resolve('test-output/report.png');

let browser: Browser;
let dir: string;

interface Opened {
  page: Page;
  url: string;
  /** Console errors and warnings, uncaught page errors, dialogs (alert) and CSP violations. */
  problems: string[];
  requests: string[];
  charts: Record<string, { drawn: string | null; marks: number }>;
}

/** Writes the report to a file, opens it and waits until every chart has settled. */
async function open(report: Report, name: string): Promise<Opened> {
  const file = join(dir, name);
  writeFileSync(file, renderHtml(report));
  const url = pathToFileURL(file).href;
  const page = await browser.context.newPage();
  const problems: string[] = [];
  const requests: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') problems.push(`console.${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('dialog', (d) => {
    problems.push(`dialog: ${d.message()}`);
    void d.dismiss();
  });
  page.on('request', (r) => requests.push(r.url()));
  // Every CSP violation, including ones the console might not show (a blocked eval).
  await page.addInitScript("window.__csp = []; document.addEventListener('securitypolicyviolation', (e) => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI));");
  await page.goto(url, { waitUntil: 'load' });
  // The test's tsconfig has no DOM types, so the page-side check is a string expression.
  await page.waitForFunction(
    "[...document.querySelectorAll('[data-chart]')].every((el) => el.hasAttribute('data-drawn'))",
    undefined,
    { timeout: 10_000 },
  );
  const charts: Opened['charts'] = {};
  for (const el of await page.locator('[data-chart]').all()) {
    const id = (await el.getAttribute('id')) ?? '';
    charts[id] = { drawn: await el.getAttribute('data-drawn'), marks: Number(await el.getAttribute('data-marks')) };
  }
  for (const v of (await page.evaluate('window.__csp')) as string[]) problems.push(`CSP violation: ${v}`);
  return { page, url, problems, requests, charts };
}

// One browser and one folder for every report this file opens.
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'servesim-report-'));
  browser = await launchChromium();
}, 30_000);

afterAll(async () => {
  await browser?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('HTML report in headless Chromium', () => {
  it('draws every chart with data, quietly and offline, and shows the table', async () => {
    const report = fixtureReport();
    const { page, url, problems, requests, charts } = await open(report, 'report.html');
    try {
      expect(problems).toEqual([]);
      expect(requests).toEqual([url]);
      expect(Object.keys(charts).sort()).toEqual([...CHART_IDS].sort());
      for (const id of CHART_IDS) {
        expect(charts[id], id).toMatchObject({ drawn: 'true' });
        expect(charts[id]!.marks, id).toBeGreaterThan(0);
      }
      // Reference: 3 variants × 300 CDF points, plus the p50/p99 rules and their 2 labels each.
      expect(charts['chart-cdf']!.marks).toBe(3 * 300 + 4);
      // Every chart draws SVG (axes, legends) into its container.
      for (const id of CHART_IDS) expect(await page.locator(`#${id} svg`).count(), id).toBe(1);

      const rows = await page.locator('table.summary tbody tr').allInnerTexts();
      expect(rows).toHaveLength(report.variants.length);
      for (const v of report.variants) expect(rows.some((r) => r.startsWith(v.name)), v.name).toBe(true);
      expect(await page.locator('table.theory tbody tr').count()).toBe(report.theory.length);
      expect(await page.locator('.notes li').count()).toBe(report.notes.length);

      // The embedded data reads back as the report (NaN becomes null in JSON).
      const embedded = JSON.parse((await page.locator('#servesim-report').textContent()) ?? '');
      expect(embedded).toEqual(JSON.parse(JSON.stringify(report)));

      mkdirSync('test-output', { recursive: true });
      await page.screenshot({ path: SCREENSHOT, fullPage: true });
      expect(statSync(SCREENSHOT).size).toBeGreaterThan(10_000);
    } finally {
      await page.close();
    }
  }, 20_000);

  it('enforces a CSP that runs only its own scripts, by hash', async () => {
    const html = renderHtml(fixtureReport());
    const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]*)">/.exec(html)?.[1] ?? '';
    const scriptSrc = csp.split(';').map((d) => d.trim()).find((d) => d.startsWith('script-src ')) ?? '';
    expect(csp).toMatch(/^default-src 'none';/);
    expect(csp).not.toMatch(/unsafe-eval/);
    expect(csp).not.toMatch(/unsafe-inline/);
    expect(scriptSrc).toMatch(/^script-src( 'sha256-[A-Za-z0-9+/=]+')+$/);
    // One hash per executable script element (the JSON data elements are not scripts).
    const scripts = [...html.matchAll(/<script>([\s\S]*?)<\/script>/g)].map((m) => m[1]!);
    expect(scripts).toHaveLength(3);
    const hashes = scriptSrc.split(' ').slice(1);
    expect(hashes).toEqual(scripts.map((js) => `'sha256-${createHash('sha256').update(js, 'utf8').digest('base64')}'`));

    // The browser enforces it: a script added to the page is refused, while the charts draw.
    const tampered = html.replace('</body>', '<script>window.__injected = 1</script>\n</body>');
    const file = join(dir, 'tampered.html');
    writeFileSync(file, tampered);
    const page = await browser.context.newPage();
    const violations: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') violations.push(m.text());
    });
    try {
      await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
      await page.waitForFunction("[...document.querySelectorAll('[data-chart]')].every((el) => el.hasAttribute('data-drawn'))", undefined, { timeout: 10_000 });
      expect(await page.evaluate('window.__injected')).toBeUndefined();
      expect(violations.join('\n')).toMatch(/Content Security Policy/);
      expect(await page.locator('#chart-cdf').getAttribute('data-drawn')).toBe('true');
    } finally {
      await page.close();
    }
  }, 20_000);

  it('shows a note for a chart without data and keeps hostile strings as text', async () => {
    const hostile = 'p99 </script><script>window.__pwned = 1</script> & <b>bold</b> \u2028 "quoted" <script>alert(1)</script> "><img src=x onerror=alert(1)> \u001b[31mred\u001b[0m \u0007 \u0000';
    const report = fixtureReport({ tradeoff: [], title: hostile, notes: [hostile] });
    report.variants[0]!.name = `a </script> ${hostile}`;
    report.variants[1]!.stages[0]!.name = `stage ${hostile}`;
    report.summary = hostile;
    report.table.rows[0]![0] = hostile;
    const { page, problems, requests, url, charts } = await open(report, 'empty.html');
    try {
      expect(problems).toEqual([]);
      expect(requests).toEqual([url]);
      expect(charts['chart-tradeoff']).toEqual({ drawn: 'empty', marks: 0 });
      await expect(page.locator('#chart-tradeoff .no-data').innerText()).resolves.toMatch(/No cost-versus-p99 points/);
      for (const id of CHART_IDS.filter((i) => i !== 'chart-tradeoff')) {
        expect(charts[id], id).toMatchObject({ drawn: 'true' });
        expect(charts[id]!.marks, id).toBeGreaterThan(0);
      }
      expect(await page.evaluate('window.__pwned')).toBeUndefined();
      expect(await page.locator('img').count()).toBe(0);
      expect(await page.locator('main script, main b').count()).toBe(0);
      // Shown as text, control characters replaced by U+FFFD.
      expect(await page.locator('h1').textContent()).toBe(shownText(hostile));
      const embedded = JSON.parse((await page.locator('#servesim-report').textContent()) ?? '') as Report;
      expect(embedded.title).toBe(hostile);
      expect(embedded.variants[0]!.name).toBe(report.variants[0]!.name);
      mkdirSync('test-output', { recursive: true });
      await page.screenshot({ path: resolve('test-output/report-edge-cases.png'), fullPage: true });
    } finally {
      await page.close();
    }
  }, 20_000);

  it('draws one variant with one latency, one window and one point without a warning', async () => {
    const base = fixtureReport();
    const v = base.variants[0]!;
    const one: Report = {
      ...base,
      variants: [
        {
          ...v,
          cdf: [[5, 1]],
          stages: [v.stages[0]!],
          series: { startS: [0], p99Ms: [5], throughputRps: [10], stages: [{ name: v.stages[0]!.name, replicas: [1], queueLength: [0] }] },
        },
      ],
      tradeoff: [{ label: 'only', costPerHourUsd: 3, p99Ms: 5, meetsSlo: true }],
      theory: [],
      notes: [],
    };
    const { page, problems, charts } = await open(one, 'minimal.html');
    try {
      expect(problems).toEqual([]);
      for (const id of CHART_IDS) {
        expect(charts[id], id).toMatchObject({ drawn: 'true' });
        expect(charts[id]!.marks, id).toBeGreaterThan(0);
      }
      await expect(page.locator('#theory .no-data').innerText()).resolves.toMatch(/No closed-form model/);
    } finally {
      await page.close();
    }
  }, 20_000);
});

describe('a sweep report', () => {
  it('draws p99 against the load with the knee marked and theory beside the simulation', async () => {
    const sweep = fixtureSweep();
    const { page, problems, charts } = await open(fixtureReport({ sweep, tradeoff: [] }), 'sweep.html');
    try {
      expect(problems).toEqual([]);
      // Reference: 7 points as line vertices and points, 7 interval rules, knee rule and label;
      // below, 7 theory vertices and 7 simulated points: 7·2 + 7 + 2 + 14 = 37 marks.
      expect(charts['chart-sweep']).toEqual({ drawn: 'true', marks: 37 });
      // The sweep chart comes first, right under the summary.
      const order = await page.locator('[data-chart]').evaluateAll((els) => els.map((e) => e.id));
      expect(order[0]).toBe('chart-sweep');
      expect(await page.locator('#chart-sweep svg text', { hasText: 'knee at 3.022' }).count()).toBe(1);
      // A sweep is not told to run a sweep.
      expect(await page.locator('#chart-tradeoff').innerText()).not.toContain('run a sweep');
    } finally {
      await page.close();
    }
  }, 20_000);

  it('fits the summary table in the page at 1400 px: no column scrolls out of view', async () => {
    const report = fixtureReport({
      variants: fixtureReport().variants.map((v, i) => ({ ...v, name: `stages.ranker.hardware=c7i.xlarge, stages.ranker.replicas=${40 + i}`, slo: { target: 'p99 < 100ms', attainment: { value: 0.98765, ci95: 0.00321 }, met: false }, quality: { value: 0.7321, ci95: 0.0123 } })),
    });
    report.table = summaryTable(report.variants);
    const { page } = await open(report, 'wide.html');
    try {
      await page.setViewportSize({ width: 1400, height: 900 });
      const [scroll, client] = await page.locator('#summary .table-wrap').evaluate((el) => [el.scrollWidth, el.clientWidth]);
      expect(scroll).toBeLessThanOrEqual(client!);
    } finally {
      await page.close();
    }
  }, 20_000);
});

describe('chart specs', () => {
  it('compile without Vega-Lite warnings', () => {
    // A warning means a spec draws something other than meant (an ignored channel, a bad scale).
    expect(compileCharts(fixtureReport()).warnings).toEqual([]);
    expect(compileCharts(fixtureReport({ tradeoff: [], theory: [], notes: [] })).warnings).toEqual([]);
    // A sweep of two variants, and one over a list of names (no knee, an ordinal axis), a plan's choice.
    const sweep = fixtureSweep();
    const two = { ...sweep, curves: [sweep.curves[0]!, { ...sweep.curves[0]!, name: 'gpu' }] };
    const listed = { path: 'stages.model.hardware', curves: [{ name: '', points: sweep.curves[0]!.points.slice(0, 2).map((p, i) => ({ ...p, x: ['l4', 'a100'][i]! })) }] };
    const chosen = fixtureReport().tradeoff.map((t, i) => ({ ...t, chosen: i === 3 }));
    expect(compileCharts(fixtureReport({ sweep: two, tradeoff: chosen })).warnings).toEqual([]);
    expect(compileCharts(fixtureReport({ sweep: listed })).warnings).toEqual([]);
    // A closed-form p99 beside the simulated one (as Erlang C gives for one M/M/c stage).
    const withP99 = { ...sweep, curves: [{ ...sweep.curves[0]!, points: sweep.curves[0]!.points.map((p) => ({ ...p, theoryP99Ms: p.p99Ms.value * 0.97 })) }] };
    expect(compileCharts(fixtureReport({ sweep: withP99 })).warnings).toEqual([]);
    expect(compileCharts(fixtureReport({ sweep: two })).compiled.find((c) => c.id === 'chart-sweep')).toBeDefined();
  });
});
