/**
 * The report of a real command, end to end: `servesim compare --report out.html` on a
 * built-in scenario writes a file that opens in headless Chromium with every chart drawn
 * from the run's own data, no console error, and no request but the file itself.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli } from '../support/cli.ts';
import { launchChromium, type Browser } from './browser.ts';

let browser: Browser;
let dir: string;

describe('a report written by the CLI', () => {
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'servesim-cli-report-'));
    browser = await launchChromium();
  }, 30_000);

  afterAll(async () => {
    await browser?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('compare --report draws every chart from the run and the Markdown version has the table', async () => {
    const html = join(dir, 'tail.html');
    const md = join(dir, 'tail.md');
    // A shortened run (the lesson has seven variants): the charts need data, not precision.
    const short = ['--set', 'stop.requests=800', '--set', 'warmup.requests=80'];
    const r = await cli('run', 'tail-at-scale', '--replications', '2', '--workers', '1', ...short, '--report', html);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(`Report written to ${html}`);
    expect((await cli('run', 'tail-at-scale', '--replications', '2', '--workers', '1', ...short, '--report', md)).code).toBe(0);
    const mdText = readFileSync(md, 'utf8');
    for (const v of ['base', 'hedged', 'hedged-3-replicas']) expect(mdText).toMatch(new RegExp(`^\\| ${v} \\|`, 'm'));

    const page = await browser.context.newPage();
    const problems: string[] = [];
    const requests: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') problems.push(m.text());
    });
    page.on('pageerror', (e) => problems.push(e.message));
    page.on('request', (req) => requests.push(req.url()));
    const url = pathToFileURL(html).href;
    await page.goto(url, { waitUntil: 'load' });
    await page.waitForFunction("[...document.querySelectorAll('[data-chart]')].every((el) => el.hasAttribute('data-drawn'))", undefined, { timeout: 10_000 });
    const drawn = await page.locator('[data-chart]').evaluateAll((els) => els.map((el) => [el.id, el.getAttribute('data-drawn'), Number(el.getAttribute('data-marks'))]));
    // Tail-at-scale has no hardware prices: the cost chart may say "no data"; every other chart draws.
    for (const [id, state, marks] of drawn as Array<[string, string, number]>) {
      if (id === 'chart-tradeoff') expect(['true', 'empty']).toContain(state);
      else {
        expect(state, id).toBe('true');
        expect(marks, id).toBeGreaterThan(0);
      }
    }
    expect(problems).toEqual([]);
    expect(requests).toEqual([url]);
    mkdirSync(resolve('test-output'), { recursive: true });
    await page.screenshot({ path: resolve('test-output/cli-report.png'), fullPage: true });
    await page.close();
  }, 60_000);

  it('a scenario with hostile names and narrative: terminal, Markdown and HTML show them as text', async () => {
    const evil = '<script>alert(1)</script> "><img src=x onerror=alert(1)> \u001b[31mred\u001b[0m \u009b2J';
    const file = join(dir, 'hostile.yaml');
    writeFileSync(
      file,
      [
        `name: ${JSON.stringify(`name ${evil}`)}`,
        `description: ${JSON.stringify(`description ${evil}`)}`,
        `narrative: ${JSON.stringify(`Narrative ${evil}`)}`,
        'seed: 3',
        'arrivals: { process: poisson, qps: 8 }',
        'stop: { requests: 400 }',
        'hardware:',
        `  ${JSON.stringify(`box ${evil}`)}: { device: cpu, usdPerHour: 1 }`,
        'stages:',
        '  - name: model',
        '    replicas: 2',
        `    hardware: ${JSON.stringify(`box ${evil}`)}`,
        '    service: { dist: exponential, mean: "100ms" }',
        'variants:',
        `  ${JSON.stringify(`v ${evil}`)}: { stages.model.replicas: 3 }`,
        '',
      ].join('\n'),
    );
    const html = join(dir, 'hostile.html');
    const md = join(dir, 'hostile.md');
    for (const args of [[], ['--report', html], ['--report', md]]) {
      const r = await cli('compare', file, ...args);
      expect(r.code, r.stderr).toBe(0);
      // No control character (ANSI escapes, C1) reaches the terminal.
      expect(r.stdout).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/);
    }
    const mdText = readFileSync(md, 'utf8');
    expect(mdText).not.toMatch(/[<>\u0000-\u0008\u000b-\u001f\u007f-\u009f]/);
    expect(mdText).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');

    const page = await browser.context.newPage();
    const problems: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') problems.push(m.text());
    });
    page.on('pageerror', (e) => problems.push(e.message));
    page.on('dialog', (d) => {
      problems.push(`dialog: ${d.message()}`);
      void d.dismiss();
    });
    await page.addInitScript("window.__csp = []; document.addEventListener('securitypolicyviolation', (e) => window.__csp.push(e.violatedDirective));");
    try {
      const url = pathToFileURL(html).href;
      await page.goto(url, { waitUntil: 'load' });
      await page.waitForFunction("[...document.querySelectorAll('[data-chart]')].every((el) => el.hasAttribute('data-drawn'))", undefined, { timeout: 10_000 });
      const drawn = await page.locator('[data-chart]').evaluateAll((els) => els.map((el) => el.getAttribute('data-drawn')));
      expect(drawn.every((d) => d === 'true' || d === 'empty'), drawn.join()).toBe(true);
      expect(problems).toEqual([]);
      expect(await page.evaluate('window.__csp')).toEqual([]);
      expect(await page.locator('img').count()).toBe(0);
      expect(await page.locator('main script').count()).toBe(0);
      expect(await page.locator('h1').textContent()).toContain('<script>alert(1)</script>');
      const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]*)">/.exec(readFileSync(html, 'utf8'))?.[1];
      expect(csp).toMatch(/script-src 'sha256-/);
      expect(csp).not.toMatch(/unsafe-inline|unsafe-eval/);
    } finally {
      await page.close();
    }
  }, 60_000);
});
