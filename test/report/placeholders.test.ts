import { describe, expect, it } from 'vitest';
import { fillPlaceholders, FORMATS, numberAt, parsePlaceholders } from '../../src/report/placeholders.ts';

const result = { latencyMs: { p99: 126.04, p50: 80 }, slo: { attainment: 0.87512 }, cost: { perMillionRequests: 5.4012 }, count: 46312.4, stages: { ranker: { utilization: 0.4237 } } };
const lookup = (path: string, variant: string | undefined) => (variant === 'gone' ? null : numberAt(result, path));

describe('placeholders in prose', () => {
  it('fills each format from the result', () => {
    // Reference: the figures above written by hand as the guide writes them.
    const { text, problems } = fillPlaceholders('p99 {latencyMs.p99|ms}, {slo.attainment|%} in time, {cost.perMillionRequests|$}/M, {count|int} requests, {stages.ranker.utilization} busy, p50 {latencyMs.p50}', lookup);
    expect(problems).toEqual([]);
    expect(text).toBe('p99 126 ms, 87.5% in time, $5.40/M, 46,312 requests, 0.424 busy, p50 80');
  });

  it('writes large figures without an exponent and money as prices are written', () => {
    expect(FORMATS['3'](46312)).toBe('46,300');
    expect(FORMATS.$(6124.3)).toBe('$6,120');
    expect(FORMATS.$(0.2149)).toBe('$0.215');
    expect(FORMATS['4'](0.81391)).toBe('0.8139');
    expect(FORMATS['%'](0.009)).toBe('0.9%');
    expect(FORMATS.h(46_440)).toBe('12.9 hours');
    expect(FORMATS.s(66_912)).toBe('66.9 s');
    expect(FORMATS.s(412.4)).toBe('0.412 s');
    // Reference: 47 c7i.xlarge at $0.1785/h, 730 h a month = $6,124.
    expect(FORMATS.$month(47 * 0.1785)).toBe('$6,124');
  });

  it('names a variant after @ and leaves text without braces alone', () => {
    const seen: Array<string | undefined> = [];
    fillPlaceholders('{latencyMs.p99@cascade|ms} and {latencyMs.p50}', (p, v) => (seen.push(v), numberAt(result, p)));
    expect(seen).toEqual(['cascade', undefined]);
    expect(fillPlaceholders('no figures (none) here', lookup)).toEqual({ text: 'no figures (none) here', problems: [] });
  });

  it('writes a dash for a figure of a variant this run does not hold', () => {
    expect(fillPlaceholders('{latencyMs.p99@gone|ms}', lookup).text).toBe('–');
  });

  it('refuses an unknown path, format or an empty variant, one problem each', () => {
    const { text, problems } = fillPlaceholders('{latencyMs.p98} {latencyMs.p99|sec} {latencyMs.p99@} {latencyMs.constructor}', lookup);
    expect(text).toBe('{latencyMs.p98} {latencyMs.p99|sec} {latencyMs.p99@} {latencyMs.constructor}');
    expect(problems).toEqual([
      '{latencyMs.p99|sec}: unknown format "sec"; one of 3, 4, int, %, ms, s, h, $, $month',
      '{latencyMs.p99@}: not a placeholder; write {path}, {path@variant} or {path@variant|format}',
      '{latencyMs.p98}: the result has no figure latencyMs.p98',
      '{latencyMs.constructor}: the result has no figure latencyMs.constructor',
    ]);
  });

  it('leaves braces that do not hold a path as plain text (a narrative may say "{a, b}")', () => {
    expect(fillPlaceholders('sets {1+1} and {of requests} and {x: 1}', lookup)).toEqual({ text: 'sets {1+1} and {of requests} and {x: 1}', problems: [] });
  });

  it('parses the grammar and nothing more', () => {
    expect(parsePlaceholders('{a.b@x y|%}').placeholders).toEqual([{ text: '{a.b@x y|%}', path: 'a.b', variant: 'x y', format: '%' }]);
    expect(parsePlaceholders('{a.b@|%}').problems).toHaveLength(1);
  });
});
