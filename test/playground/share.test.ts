/**
 * What a playground link carries reads back whole (deflated or plain, long texts and
 * non-ASCII included), a damaged link reads as none, and a CLI problem line is placed on
 * its line and column.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { decodeState, encodeState, type SharedState } from '../../playground/src/share.ts';
import { locateProblem } from '../../playground/src/problems.ts';

describe('playground links', () => {
  const state: SharedState = {
    text: `${readFileSync('src/scenarios/accuracy-vs-latency.yaml', 'utf8')}\n# ρ ≈ 0.8 — “quotes” ✓\n`,
    name: 'lesson 3.yaml',
    knobs: { 'arrivals.qps': 180, 'stages.ranker.hardware': 'g5.xlarge' },
    compare: true,
  };

  it('reads back what it wrote, deflated to a fraction of the text', async () => {
    const hash = await encodeState(state);
    expect(hash).toMatch(/^z=[A-Za-z0-9_-]+$/);
    await expect(decodeState(`#${hash}`)).resolves.toEqual(state);
    // Reference: YAML with long comments deflates to well under half; base64 adds a third back.
    expect(hash.length).toBeLessThan(state.text!.length * 0.6);
  });

  it('reads a plain (not deflated) link, as browsers without CompressionStream write', async () => {
    const json = Buffer.from(JSON.stringify({ builtin: 'mm4', knobs: { seed: 3 } })).toString('base64url');
    await expect(decodeState(`#j=${json}`)).resolves.toEqual({ builtin: 'mm4', knobs: { seed: 3 } });
  });

  it('reads a damaged or foreign hash as no state', async () => {
    const hash = await encodeState(state);
    for (const bad of ['', '#', '#section-2', `#${hash.slice(0, -6)}`, '#z=!!', '#j=bm90IGpzb24', `#j=${Buffer.from('{"text":"x"}').toString('base64url')}`]) {
      await expect(decodeState(bad), bad).resolves.toBeNull();
    }
  });
});

describe('problem lines', () => {
  it('splits the CLI\'s file:line:col prefix off, and keeps unplaced problems whole', () => {
    expect(locateProblem('pasted.yaml', 'pasted.yaml:4:36: arrivals.qps: must be greater than 0, got -3')).toEqual({
      text: 'pasted.yaml:4:36: arrivals.qps: must be greater than 0, got -3',
      line: 4,
      col: 36,
      message: 'arrivals.qps: must be greater than 0, got -3',
    });
    expect(locateProblem('a:b.yaml', 'a:b.yaml:1:1: x: y')).toMatchObject({ line: 1, col: 1, message: 'x: y' });
    expect(locateProblem('pasted.yaml', 'pasted.yaml: expected a scenario, got a list')).toEqual({
      text: 'pasted.yaml: expected a scenario, got a list',
      message: 'expected a scenario, got a list',
    });
    expect(locateProblem('pasted.yaml', '--set x: cannot read the path')).toEqual({ text: '--set x: cannot read the path', message: '--set x: cannot read the path' });
  });
});
