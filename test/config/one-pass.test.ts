/**
 * Validation reports every problem in one pass: a field that fails its own check (a
 * missing or unreadable value), a bad topology shorthand or a bad variant no longer
 * hides the problems found elsewhere.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InputError } from '../../src/config/errors.ts';
import { scenarioFromText } from '../../src/config/parse.ts';
import { cli } from '../support/cli.ts';

function problems(text: string): string[] {
  try {
    scenarioFromText({ name: 's.yaml', text });
  } catch (err) {
    if (err instanceof InputError) return [...err.problems];
    throw err;
  }
  throw new Error('expected an InputError');
}

describe('every problem in one pass', () => {
  it('a failed field does not hide the whole-scenario checks (catalog names, duplicate names, warm-up)', () => {
    const text = [
      'arrivals: { process: poisson, qps: 8 }',
      'stop: { requests: 100 }',
      'warmup: { requests: 200 }',
      'stages:',
      '  - name: model',
      '    replicas: 1',
      '    hardware: nope',
      '    model: gbdt',
      '    service: { dist: exponential, mean: "-1ms" }',
      '  - name: model',
      '    replicas: 1',
      '    service: { dist: exponential }',
      '    fallback: { to: zzz, queueLength: 3 }',
    ].join('\n');
    // Before: only the first two (the cross-field checks were skipped once a field failed).
    expect(problems(text)).toEqual([
      's.yaml:9:41: stages[0].service.mean: expected a duration like "10ms", got "-1ms"',
      's.yaml:12:14: stages[1].service.mean: missing (required)',
      expect.stringMatching(/^s\.yaml:7:15: stages\[0\]\.hardware: unknown hardware "nope"; known: /),
      's.yaml:13:21: stages[1].fallback.to: names no stage: "zzz" (stages: model, model)',
      's.yaml:10:11: stages[1].name: stage name "model" is already used by stages[0]',
      's.yaml:3:21: warmup.requests: warm-up (200 requests) must be shorter than the run (stop.requests: 100): lower it too, e.g. --set warmup.requests=10 (a tenth of the run), or raise stop.requests above 200',
    ]);
  });

  it('a failed field raises no second, derived problem', () => {
    const text = [
      'arrivals: { process: poisson, qps: 8 }',
      'stop: { requests: "many" }',
      'warmup: { requests: 10 }',
      'hardware: { box: { device: tpu, usdPerHour: 1 } }',
      'stages:',
      '  - name: model',
      '    replicas: 1',
      '    hardware: 5',
      '    model: gbdt',
      '  - name: other',
      '    replicas: 1',
      '    model: deep-ranker',
      '    hardware: box',
      '    batching: { maxBatch: "x" }',
    ].join('\n');
    expect(problems(text)).toEqual([
      's.yaml:2:19: stop.requests: expected a whole number, got "many"',
      's.yaml:8:15: stages[0].hardware: expected a hardware name, got 5',
      's.yaml:14:27: stages[1].batching.maxBatch: expected a whole number, got "x"',
      's.yaml:4:28: hardware.box.device: expected "cpu" or "gpu", got "tpu"',
    ]);
    // Not: "unknown hardware \"box\"", "model needs a hardware name", warm-up against stop.
  });

  it('a bad topology shorthand is reported with the other problems', () => {
    expect(problems('topology: nope\narrivals: { process: poisson, qps: -8 }\nstop: { requests: 100 }\n')).toEqual([
      's.yaml:1:11: topology: expected one of "batch", "realtime", "cascade", "hybrid", got "nope"',
      's.yaml:2:36: arrivals.qps: must be greater than 0, got -8',
    ]);
  });
});

describe('variants', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'servesim-one-pass-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('every bad variant is reported, not only the first', async () => {
    const file = join(dir, 'v.yaml');
    writeFileSync(
      file,
      [
        'arrivals: { process: poisson, qps: 8 }',
        'stop: { requests: 100 }',
        'stages:',
        '  - name: model',
        '    replicas: 1',
        '    service: { dist: exponential, mean: "1ms" }',
        'variants:',
        '  a: { stages.model.replicas: 0 }',
        '  b: { stages.nope.replicas: 2 }',
        '  c: { stages.model.bogus: 2 }',
        '',
      ].join('\n'),
    );
    const r = await cli('compare', file);
    expect(r.code).toBe(2);
    const lines = r.stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[0]).toBe(`servesim: variants.a: ${file}:5:15: stages[0].replicas: expected a whole number of at least 1, got 0`);
    expect(lines[1]).toBe(`servesim: ${file}: variants.b: stages.nope.replicas: no element named "nope" (there are: model)`);
    expect(lines[2]).toMatch(/^servesim: variants\.c: .*stages\[0\]\.bogus: unknown key/);
  });
});
