/**
 * The playground end to end, built as `npm run build:playground` builds it, served by a
 * plain static server on 127.0.0.1 and driven in Debian's headless Chromium: it runs a
 * built-in scenario with the CLI's numbers, answers the QPS slider the way queueing theory
 * says, cancels stale runs, keeps input responsive through a 1M-request run, shows the
 * CLI's error messages on the offending lines, and shares a configuration as a link. It
 * never requests anything off 127.0.0.1 and logs no error or warning. Screenshots go to
 * test-output/playground-*.png, bundle sizes to test-output/playground-bundle.txt.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadScenario } from '../../src/cli/scenario-source.ts';
import { theoryForRun } from '../../src/cli/experiments.ts';
import { traceAccess, traceOpener } from '../../src/cli/trace-file.ts';
import { mmcMeanWait } from '../../src/experiments/queueing.ts';
import type { RunResult } from '../../src/models/index.ts';
import { fmtNumShort as fmtNum } from '../../src/report/figures.ts';
import { cli } from '../support/cli.ts';
import { launchChromium, type Browser } from '../report/browser.ts';
import { buildPlayground, loopbackOnly, serveStatic, watchedPage, type Watched } from './harness.ts';

const OUT = resolve('test-output');
const shot = (name: string) => join(OUT, `playground-${name}.png`);

let dist: string;
let server: Awaited<ReturnType<typeof serveStatic>>;
let browser: Browser;
let buildWarnings: string[];
/** The page the sequence of tests below drives, in order (each starts where the last left it). */
let main: Watched;

/** The CLI's JSON result for a built-in scenario with `--set` overrides. */
async function cliRun(name: string, ...sets: string[]): Promise<RunResult> {
  const r = await cli('run', name, '--json', ...sets.flatMap((s) => ['--set', s]));
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as RunResult;
}

/** Waits until the page has painted a finished run (charts included) other than `afterId`. */
async function painted(page: Page, afterId?: string, timeout = 15_000): Promise<void> {
  await page.waitForFunction(
    `(() => { const r = document.getElementById('results'); return r.dataset.state === 'done' && r.dataset.charts === 'drawn' && r.dataset.paintedId === r.dataset.runId && r.dataset.paintedId !== ${JSON.stringify(afterId ?? '')}; })()`,
    undefined,
    { timeout },
  );
}

const results = (page: Page, key: string) => page.locator('#results').getAttribute(`data-${key}`);

/** A key figure's full-precision value (data-value of its tile). */
async function figure(page: Page, key: string): Promise<number> {
  return Number(await page.locator(`#figures .tile[data-key="${key}"]`).getAttribute('data-value'));
}

async function charts(page: Page): Promise<Record<string, { drawn: string | null; marks: number }>> {
  const out: Record<string, { drawn: string | null; marks: number }> = {};
  for (const id of ['chart-cdf', 'chart-timeline', 'chart-resources', 'chart-tradeoff', 'chart-stages']) {
    const el = page.locator(`#${id}`);
    out[id] = { drawn: await el.getAttribute('data-drawn'), marks: Number(await el.getAttribute('data-marks')) };
  }
  return out;
}

/** A table of the CLI's text report, by the line that titles it: header first, cells split at two or more spaces. */
function cliTable(text: string, title: string): string[][] {
  const lines = text.split('\n');
  const rows: string[][] = [];
  for (const l of lines.slice(lines.indexOf(title) + 1)) {
    if (l.trim() === '') break;
    rows.push(l.trim().split(/ {2,}/));
  }
  return rows;
}

/** The page's stage table: header first, then one row of cell texts per stage. */
async function pageStageTable(page: Page): Promise<string[][]> {
  const rows = [await page.locator('#stage-table thead th').allInnerTexts()];
  for (const tr of await page.locator('#stage-table tbody tr').all()) rows.push(await tr.locator('td').allInnerTexts());
  return rows;
}

/** The SLO card read as one line, the way the CLI writes it: "SLO p99 < 100ms: MISSED · 87.5% of requests within target". */
async function sloCard(page: Page): Promise<string> {
  const card = page.locator('#figures .tile[data-key="sloAttainment"]');
  const [label, value, detail] = await Promise.all(['.label', '.value', '.detail'].map((c) => card.locator(c).innerText()));
  return `${label}: ${value} · ${detail}`;
}

/** Cells of the theory table's first row. */
async function theoryRow(page: Page): Promise<string[]> {
  return page.locator('#theory table tbody tr').first().locator('td').allInnerTexts();
}

function expectQuietAndLocal(w: Watched): void {
  expect(w.problems).toEqual([]);
  // Workers start from Blob URLs of the page's own origin.
  const off = w.requests.filter((u) => !u.startsWith(`${server.origin}/`) && !u.startsWith(`blob:${server.origin}/`));
  expect(off, 'requests off 127.0.0.1').toEqual([]);
}

describe('playground in headless Chromium', () => {
  beforeAll(async () => {
    mkdirSync(OUT, { recursive: true });
    dist = mkdtempSync(join(tmpdir(), 'servesim-playground-'));
    buildWarnings = await buildPlayground(dist);
    server = await serveStatic(dist);
    browser = await launchChromium();
    await loopbackOnly(browser.context);
    main = await watchedPage(browser.context);
    await main.page.setViewportSize({ width: 1440, height: 1000 });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    if (dist) rmSync(dist, { recursive: true, force: true });
  });

  it('builds to static files, with no Node-only import and a policy that forbids connections', () => {
    // A Node built-in reaching the bundle is a Vite warning ("externalized for browser compatibility").
    expect(buildWarnings).toEqual([]);
    const html = readFileSync(join(dist, 'index.html'), 'utf8');
    expect(html).toMatch(/http-equiv="Content-Security-Policy" content="default-src 'none';[^"]*worker-src blob:;[^"]*connect-src 'none'/);
    const files = readdirSync(join(dist, 'assets')).map((f) => join('assets', f));
    const sizes = ['index.html', ...files].map((f) => {
      const bytes = readFileSync(join(dist, f));
      return { file: f.replace(/-[A-Za-z0-9_-]{8}\./, '.'), bytes: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length };
    });
    const total = sizes.reduce((a, s) => ({ bytes: a.bytes + s.bytes, gzip: a.gzip + s.gzip }), { bytes: 0, gzip: 0 });
    const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;
    writeFileSync(
      join(OUT, 'playground-bundle.txt'),
      [...sizes, { file: 'total', ...total }].map((s) => `${s.file.padEnd(24)} ${kb(s.bytes).padStart(10)}  gzip ${kb(s.gzip).padStart(9)}`).join('\n') + '\n',
    );
    // Budget: Vega and the Vega-Lite compiler are most of it (about 275 KB gzipped); the
    // engine ships twice (page validation, worker), and grows with the simulator (faults,
    // gray failures, LLM composition and cache partitions took it from 551 to 574 KB on
    // 2026-12-07). 600 KB keeps about 26 KB of room: a framework creeping in (React and
    // its DOM are about 45 KB gzipped) would break it.
    expect(total.gzip).toBeLessThan(600 * 1024);
  });

  it('runs realtime-ranker with the CLI\'s numbers, theory beside them, quietly and offline', async () => {
    const { page } = main;
    await page.goto(`${server.origin}/`);
    await painted(page);
    const cliResult = await cliRun('realtime-ranker');
    // Same engine, same scenario, same seed: the same numbers to the last bit.
    for (const [key, value] of [
      ['p50', cliResult.latencyMs.p50],
      ['p99', cliResult.latencyMs.p99],
      ['p999', cliResult.latencyMs.p999],
      ['mean', cliResult.latencyMs.mean],
      ['throughput', cliResult.throughputRps],
    ] as const) {
      expect(await figure(page, key), key).toBe(value);
    }
    // The theory panel is the CLI's: Erlang C for the M/M/4, beside the simulated wait.
    const scenario = await loadScenario('realtime-ranker');
    const cliTheory = theoryForRun(scenario, traceOpener(traceAccess({ ref: 'realtime-ranker', baseDir: '.' }, { set: [] })), cliResult)[0]!;
    const row = await theoryRow(page);
    expect(row.slice(0, 5)).toEqual(['ranker', cliTheory.model, cliTheory.quantity, fmtNum(cliTheory.analytic), fmtNum(cliTheory.simulated.value)]);
    const drawn = await charts(page);
    for (const id of ['chart-cdf', 'chart-timeline', 'chart-resources', 'chart-stages']) {
      expect(drawn[id], id).toMatchObject({ drawn: 'true' });
      expect(drawn[id]!.marks, id).toBeGreaterThan(0);
    }
    // No hardware is named, so there is no bill to chart (the caption says so).
    await expect(page.locator('#chart-tradeoff').isHidden()).resolves.toBe(true);
    await expect(page.locator('#cli-command').innerText()).resolves.toBe('npx servesim run realtime-ranker');
    await page.screenshot({ path: shot('realtime-ranker'), fullPage: true });
    expectQuietAndLocal(main);
  }, 20_000);

  it('moving the QPS slider up raises p99, as Erlang C says it must, with the previous run overlaid, offline', async () => {
    const { page } = main;
    const before = await figure(page, 'p99');
    const beforeId = (await results(page, 'painted-id')) ?? '';
    const requestsBefore = main.requests.length;
    // Loaded once, the page needs no network: cut it (the loopback too) for this test.
    await browser.context.setOffline(true);
    await page.locator('#compare').check();
    // 20 steps of 1 req/s, as a person would press the arrow key: each press re-runs, and
    // a press during a run cancels it.
    await page.locator('#knob-arrivals-qps').focus();
    for (let i = 0; i < 20; i++) await page.keyboard.press('ArrowRight');
    await page.waitForFunction("document.getElementById('results').dataset.settings === 'arrivals.qps=180'", undefined, { timeout: 15_000 });
    await painted(page, beforeId);
    const after = await figure(page, 'p99');
    // Reference: Erlang C for 4 servers of 20 ms mean: the wait grows with the load (ρ 0.8 → 0.9).
    const theoryBefore = mmcMeanWait(160, 0.02, 4);
    const theoryAfter = mmcMeanWait(180, 0.02, 4);
    expect(theoryAfter).toBeGreaterThan(theoryBefore);
    expect(after).toBeGreaterThan(before);
    expect((await theoryRow(page))[3]).toBe(fmtNum(theoryAfter * 1000));
    // And the page's number is still the CLI's for the same setting.
    expect(after).toBe((await cliRun('realtime-ranker', 'arrivals.qps=180')).latencyMs.p99);
    await expect(page.locator('#cli-command').innerText()).resolves.toBe('npx servesim run realtime-ranker --set arrivals.qps=180');
    // Compare: the summary table has both runs, and the CDF draws two curves.
    await expect(page.locator('#compare-table tbody tr').count()).resolves.toBe(2);
    await expect(page.locator('#figures .tile[data-key="p99"] .delta.worse').count()).resolves.toBe(1);
    const drawn = await charts(page);
    expect(drawn['chart-cdf']!.marks).toBeGreaterThan(2 * 28);
    await page.screenshot({ path: shot('qps-compare'), fullPage: true });
    await browser.context.setOffline(false);
    // Runs started workers from Blob URLs; nothing went to the (cut) network.
    expect(main.requests.slice(requestsBefore).filter((u) => !u.startsWith('blob:'))).toEqual([]);
    expectQuietAndLocal(main);
  }, 25_000);

  it('cancels a stale run when a knob moves again: only the latest settings ever paint', async () => {
    const { page } = main;
    await page.evaluate(`(() => {
      window.__paints = [];
      const r = document.getElementById('results');
      new MutationObserver(() => window.__paints.push(r.dataset.settings + ' #' + r.dataset.paintedId))
        .observe(r, { attributes: true, attributeFilter: ['data-painted-id'] });
    })()`);
    const cancelledBefore = Number(await results(page, 'cancelled'));
    const paintedBefore = (await results(page, 'painted-id')) ?? '';
    // A 5M-request run (seconds long, so the race is not close even on a loaded machine)...
    await page.locator('#knob-stop-requests').selectOption('5000000');
    await page.waitForFunction("/Running… [1-9]/.test(document.getElementById('status-text').textContent)", undefined, { timeout: 10_000, polling: 5 });
    // ...is replaced, once under way, by the file's 400,000.
    await page.locator('#knob-stop-requests').selectOption('400000');
    await painted(page, paintedBefore);
    expect(await results(page, 'settings')).toBe('arrivals.qps=180');
    expect(await results(page, 'arrived')).toBe(String(400_000 - 40_000));
    expect(Number(await results(page, 'cancelled'))).toBe(cancelledBefore + 1);
    const paints = (await page.evaluate('window.__paints')) as string[];
    expect(paints.length).toBeGreaterThan(0);
    for (const p of paints) expect(p).toMatch(/^arrivals\.qps=180 #/);
    expectQuietAndLocal(main);
  }, 25_000);

  it('finishes a 1M-request run within 5 s while the page answers input within 100 ms', async () => {
    const { page } = main;
    await page.locator('#reset-knobs').click();
    await page.waitForFunction("document.getElementById('results').dataset.settings === \"the file's values\"", undefined, { timeout: 15_000 });
    await painted(page);
    await page.locator('#compare').uncheck();
    // In the page: gaps between animation frames, and how long input events wait before
    // their handlers run (now − the event's timestamp), counted only while a run is on.
    await page.evaluate(`(() => {
      const running = () => document.getElementById('results').dataset.state === 'running';
      const m = (window.__m = { frames: [], inputs: [] });
      let last = performance.now();
      const frame = (t) => { if (running()) m.frames.push(t - last); last = t; requestAnimationFrame(frame); };
      requestAnimationFrame(frame);
      for (const type of ['keydown', 'pointerdown', 'click']) {
        document.addEventListener(type, (e) => { if (running()) m.inputs.push(performance.now() - e.timeStamp); }, true);
      }
    })()`);
    const t0 = performance.now();
    await page.locator('#knob-stop-requests').selectOption('1000000');
    const roundTrips: number[] = [];
    // While it runs: click the heading and press a key (neither changes the run), and time
    // a round trip to the page's main thread.
    while ((await results(page, 'state')) === 'running' && performance.now() - t0 < 10_000) {
      await page.locator('.brand h1').click();
      await page.keyboard.press('Shift');
      const s = performance.now();
      await page.evaluate('0');
      roundTrips.push(performance.now() - s);
    }
    await page.waitForFunction("document.getElementById('results').dataset.state === 'done'", undefined, { timeout: 10_000 });
    const wallMs = performance.now() - t0;
    await painted(page);
    const m = (await page.evaluate('window.__m')) as { frames: number[]; inputs: number[] };
    const pageMs = Number(await results(page, 'total-ms'));
    const chartsMs = Number(await results(page, 'charts-ms'));
    writeFileSync(
      join(OUT, 'playground-1m.txt'),
      `1M requests: ${pageMs} ms in the page (knob to result), ${wallMs.toFixed(0)} ms seen by the test; charts drawn in ${chartsMs} ms\n` +
        `during the run: ${m.frames.length} frames, longest gap ${Math.max(...m.frames).toFixed(1)} ms; ${m.inputs.length} input events, longest wait ${Math.max(...m.inputs).toFixed(1)} ms; ` +
        `${roundTrips.length} round trips, longest ${Math.max(...roundTrips).toFixed(1)} ms\n`,
    );
    expect(await results(page, 'arrived')).toBe(String(1_000_000 - 40_000));
    expect(pageMs).toBeLessThan(5_000);
    expect(wallMs).toBeLessThan(5_000);
    // Enough samples to mean something: the run lasts several hundred milliseconds.
    expect(m.frames.length).toBeGreaterThanOrEqual(5);
    expect(m.inputs.length).toBeGreaterThanOrEqual(4);
    // 100 ms is where a delay starts to feel like lag (RAIL); the run is in a worker, so
    // the main thread only handles progress messages.
    expect(Math.max(...m.frames)).toBeLessThan(100);
    expect(Math.max(...m.inputs)).toBeLessThan(100);
    // The test → page → test round trips are recorded for information only: they pass
    // through Playwright's protocol and this Node process, and measured up to 177 ms
    // while the page's own frame gaps stayed at 17 ms and its input waits under 6 ms.
    // What the user feels is the page's side, asserted above.
    expect(roundTrips.length).toBeGreaterThan(0);
    await page.screenshot({ path: shot('1m'), fullPage: false });
    expectQuietAndLocal(main);
  }, 25_000);

  it('shows the CLI\'s messages for a pasted broken scenario, each beside its line', async () => {
    const { page } = main;
    const text = readFileSync('examples/broken.yaml', 'utf8');
    // A real paste (Ctrl+V) on the page outside the editor opens the text as a new scenario.
    await browser.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.origin });
    await page.evaluate(`navigator.clipboard.writeText(${JSON.stringify(text)})`);
    await page.locator('.brand h1').click();
    await page.keyboard.press('Control+V');
    await page.waitForFunction("document.getElementById('results').dataset.state === 'invalid'", undefined, { timeout: 10_000 });
    await expect(page.locator('#scenario-text').inputValue()).resolves.toBe(text);
    // The CLI's lines for the same text: `servesim: examples/broken.yaml:4:36: arrivals.qps: ...`.
    const r = await cli('run', 'examples/broken.yaml');
    expect(r.code).toBe(2);
    const cliLines = r.stderr.trim().split('\n').map((l) => l.replace(/^servesim: examples\/broken\.yaml:/, ''));
    expect(cliLines.length).toBe(4);
    const listed = (await page.locator('#problems .problem-text').allInnerTexts()).map((l) => l.replace(/^pasted\.yaml:/, ''));
    expect(listed).toEqual(cliLines);
    for (const l of cliLines) {
      const [, line, , message] = /^(\d+):(\d+): (.*)$/.exec(l)!;
      const row = page.locator(`.mirror .line[data-line="${line}"]`);
      await expect(row.getAttribute('class')).resolves.toContain('err');
      await expect(row.locator('.msg').innerText()).resolves.toContain(message);
      await expect(page.locator('.gutter .num.err').filter({ hasText: new RegExp(`^\\D*${line}$`) }).count()).resolves.toBe(1);
    }
    // Exactly the offending lines are marked.
    const marked: Array<string | null> = [];
    for (const el of await page.locator('.mirror .line.err').all()) marked.push(await el.getAttribute('data-line'));
    expect(marked).toEqual(cliLines.map((l) => l.split(':')[0]));
    await page.screenshot({ path: shot('broken'), fullPage: false });
    expectQuietAndLocal(main);
  }, 20_000);

  it('an LLM scenario shows TTFT, TPOT, KV cache and the cost per output token as the CLI does, with its scheduler knobs', async () => {
    const { page } = main;
    await page.selectOption('#scenario-select', 'llm-chat-capacity');
    await page.waitForFunction("document.getElementById('result-title').textContent === 'llm-chat-capacity'", undefined, { timeout: 10_000 });
    await painted(page);
    // The page runs the file's base configuration, as `--variant base` does.
    const plain = await cli('run', 'llm-chat-capacity', '--variant', 'base', '--json');
    expect(plain.code, plain.stderr).toBe(0);
    const llm = (JSON.parse(plain.stdout) as RunResult).llm!;
    // The same run at the same seed: every digit equal.
    expect(await figure(page, 'llm.ttftMs.p99')).toBe(llm.ttftMs.p99);
    expect(await figure(page, 'llm.tpotMs.p99')).toBe(llm.tpotMs.p99);
    expect(await figure(page, 'llm.kvUtilization.mean')).toBe(llm.kvUtilization.mean);
    expect(await figure(page, 'llm.outputTokensPerS')).toBe(llm.outputTokensPerS);
    expect(await figure(page, 'llm.slo.attainment')).toBe(llm.slo!.attainment);
    expect(await figure(page, 'llm.cost.perMillionOutputTokensUsd')).toBe(llm.cost!.perMillionOutputTokensUsd);
    for (const path of ['stages.llm.replicas', 'stages.llm.llm.profile', 'stages.llm.llm.maxNumSeqs', 'stages.llm.llm.maxBatchedTokens']) {
      await expect(page.locator(`#knobs .knob[data-path="${path}"]`).count(), path).resolves.toBe(1);
    }
    await page.screenshot({ path: shot('llm'), fullPage: true });
    expectQuietAndLocal(main);
  }, 30_000);

  it('a scenario with request classes shows each class’s p99, drop rate and goodput as the CLI’s --json has them, and its CDF per class', async () => {
    const { page } = main;
    await page.selectOption('#scenario-select', 'interactive-and-batch');
    await page.waitForFunction("document.getElementById('result-title').textContent === 'interactive-and-batch'", undefined, { timeout: 10_000 });
    await painted(page, undefined, 30_000);
    // The page runs the file's base configuration, as `--variant base` does.
    const plain = await cli('run', 'interactive-and-batch', '--variant', 'base', '--json');
    expect(plain.code, plain.stderr).toBe(0);
    const classes = (JSON.parse(plain.stdout) as RunResult).classes!;
    expect(Object.keys(classes)).toEqual(['interactive', 'batch']);
    await expect(page.locator('#classes-card').isVisible()).resolves.toBe(true);
    await expect(page.locator('#class-table tbody tr').evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-class')))).resolves.toEqual(['interactive', 'batch']);
    const cell = (name: string, key: string) => page.locator(`#class-table tr[data-class="${name}"] td[data-key="${key}"]`).getAttribute('data-value');
    for (const [name, c] of Object.entries(classes)) {
      // The same run at the same seed: every digit equal.
      expect(Number(await cell(name, 'p99')), `${name} p99`).toBe(c.latencyMs.p99);
      expect(Number(await cell(name, 'dropRate')), `${name} drop rate`).toBe(c.dropRate);
      expect(Number(await cell(name, 'goodputRps')), `${name} goodput`).toBe(c.goodputRps);
    }
    // Under FIFO the batch flood holds the interactive requests too: both tails are long (the lesson's first claim).
    expect(classes['interactive']!.latencyMs.p99).toBeGreaterThan(1000);
    const chart = page.locator('#chart-classes');
    await expect(chart.getAttribute('data-drawn')).resolves.toBe('true');
    // Two panels, a line of at least a vertex in each.
    expect(Number(await chart.getAttribute('data-marks'))).toBeGreaterThanOrEqual(2);
    await page.screenshot({ path: shot('classes'), fullPage: true });

    // A scenario without classes hides the card (and drops the chart of the run before).
    await page.selectOption('#scenario-select', 'realtime-ranker');
    await page.waitForFunction("document.getElementById('result-title').textContent === 'realtime-ranker'", undefined, { timeout: 10_000 });
    await painted(page);
    await expect(page.locator('#classes-card').isHidden()).resolves.toBe(true);
    await expect(page.locator('#class-table tr').count()).resolves.toBe(0);
    await expect(chart.getAttribute('data-drawn')).resolves.toBeNull();
    expectQuietAndLocal(main);
  }, 60_000);

  it('shares a configuration as a link that reopens the same scenario, knobs and numbers', async () => {
    const { page } = main;
    // A teacher's own file, dropped on the page, with one knob moved.
    const text = readFileSync('src/scenarios/mm4.yaml', 'utf8').replace('name: mm4', 'name: lesson-3').replace('qps: 3.2', 'qps: 3.0');
    const dropped = await page.evaluateHandle(
      `(() => { const dt = new DataTransfer(); dt.items.add(new File([${JSON.stringify(text)}], 'lesson-3.yaml', { type: 'text/yaml' })); return dt; })()`,
    );
    await page.dispatchEvent('main', 'drop', { dataTransfer: dropped });
    await page.waitForFunction("document.getElementById('result-title').textContent === 'lesson-3'", undefined, { timeout: 10_000 });
    await painted(page);
    const replicas = page.locator('[data-path="stages.model.replicas"] input.exact');
    await replicas.fill('5');
    await replicas.press('Enter');
    await page.waitForFunction("document.getElementById('results').dataset.settings === 'stages.model.replicas=5'", undefined, { timeout: 10_000 });
    await painted(page);
    const p99 = await figure(page, 'p99');
    await page.locator('#share').click();
    await page.waitForFunction("document.getElementById('share-url').value !== ''", undefined, { timeout: 5_000 });
    const url = await page.locator('#share-url').inputValue();
    expect(url).toMatch(new RegExp(`^${server.origin}/#z=[A-Za-z0-9_-]+$`));

    const other = await watchedPage(browser.context);
    try {
      await other.page.goto(url);
      await painted(other.page);
      await expect(other.page.locator('#scenario-text').inputValue()).resolves.toBe(text);
      await expect(other.page.locator('#knob-stages-model-replicas').inputValue()).resolves.toBe('5');
      expect(await figure(other.page, 'p99')).toBe(p99);
      // The same numbers as the CLI on that file with that knob.
      const dir = mkdtempSync(join(tmpdir(), 'servesim-lesson-'));
      try {
        writeFileSync(join(dir, 'lesson-3.yaml'), text);
        const r = await cli('run', join(dir, 'lesson-3.yaml'), '--json', '--set', 'stages.model.replicas=5');
        expect((JSON.parse(r.stdout) as RunResult).latencyMs.p99).toBe(p99);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
      await expect(other.page.locator('#result-title').innerText()).resolves.toBe('lesson-3');
      await other.page.screenshot({ path: shot('shared-link'), fullPage: false });
      expectQuietAndLocal(other);
    } finally {
      await other.page.close();
    }
    expectQuietAndLocal(main);
  }, 20_000);

  it('shows the CLI\'s stage table and reads the SLO card as the CLI\'s SLO line', async () => {
    const { page } = main;
    // Three stages with models, hardware and batching: every optional column but cache hits.
    await page.selectOption('#scenario-select', 'cascade-1m-to-100');
    await page.waitForFunction("document.getElementById('result-title').textContent === 'cascade-1m-to-100'", undefined, { timeout: 10_000 });
    await painted(page);
    const cascade = await cli('run', 'cascade-1m-to-100');
    expect(cascade.code, cascade.stderr).toBe(0);
    const cliStages = cliTable(cascade.stdout, 'Stages');
    expect(cliStages[0]).toEqual(['stage', 'runs', 'replicas', 'utilization', 'time in stage ms', 'time p99', 'wait mean ms', 'wait p50', 'wait p99', 'batch mean', 'batch p99', 'avg queue', 'dropped']);
    // The same columns, the same cells, to the digit.
    expect(await pageStageTable(page)).toEqual(cliStages);
    const cliSlo = (text: string) => text.split('\n').find((l) => l.startsWith('SLO '))!;
    // Met at 99.85 %: the card says MET and keeps the digits that matter (not 100.0 %).
    expect(cliSlo(cascade.stdout)).toMatch(/^SLO p99 < 100ms: MET · 99\.\d\d% of requests/);
    expect(`${await sloCard(page)} (drops count as misses)`).toBe(cliSlo(cascade.stdout).replace(/ · goodput .*$/, ''));
    // The narrative quotes this run's own figures, as the CLI's does: placeholders filled, none left.
    const pageNarrative = ((await page.locator('#narrative p').textContent()) ?? '').replace(/\s+/g, ' ').trim();
    expect(pageNarrative).not.toContain('{');
    expect(pageNarrative).toBe(cascade.stdout.split('\n\n')[0]!.replace(/\s+/g, ' ').trim());

    // A teacher's M/M/4 with an objective it misses: 82.7 % of requests within 3 s.
    const text = readFileSync('src/scenarios/mm4.yaml', 'utf8').replace('name: mm4', 'name: mm4-slo').replace('seed: 7', 'seed: 7\nslo: "p99 < 3s"');
    const dropped = await page.evaluateHandle(
      `(() => { const dt = new DataTransfer(); dt.items.add(new File([${JSON.stringify(text)}], 'mm4-slo.yaml', { type: 'text/yaml' })); return dt; })()`,
    );
    await page.dispatchEvent('main', 'drop', { dataTransfer: dropped });
    await page.waitForFunction("document.getElementById('result-title').textContent === 'mm4-slo'", undefined, { timeout: 10_000 });
    await painted(page);
    const dir = mkdtempSync(join(tmpdir(), 'servesim-slo-'));
    try {
      writeFileSync(join(dir, 'mm4-slo.yaml'), text);
      const r = await cli('run', join(dir, 'mm4-slo.yaml'));
      expect(r.code, r.stderr).toBe(0);
      // Reference: the CLI on this file prints "SLO p99 < 3s: MISSED · 82.7% of requests within target ...".
      expect(cliSlo(r.stdout)).toMatch(/^SLO p99 < 3s: MISSED · 82\.7% of requests within target/);
      expect(`${await sloCard(page)} (drops count as misses)`).toBe(cliSlo(r.stdout).replace(/ · goodput .*$/, ''));
      await expect(page.locator('#figures .tile[data-key="sloAttainment"]').getAttribute('class')).resolves.toContain('bad');
      expect((await pageStageTable(page))[0]).toEqual(cliTable(r.stdout, 'Stages')[0]);
      // What was measured, in the CLI's second line: "seed 7 · 360,000 requests measured over … (after 40,000 warm-up requests)".
      const measured = r.stdout.split('\n')[1]!;
      expect(measured).toMatch(/^seed 7 · .* \(after 40,000 warm-up requests\)$/);
      const sub = await page.locator('#result-sub').innerText();
      expect(sub.slice(-measured.length - 3)).toBe(` · ${measured}`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    await page.screenshot({ path: shot('slo'), fullPage: false });
    expectQuietAndLocal(main);
  }, 20_000);
});
