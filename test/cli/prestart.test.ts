/**
 * Worker threads started by bin/servesim.mjs before the CLI loads (src/cli/prestart.ts):
 * only for a command line that asks for threads or replications, never more than the
 * cores or the replications need, and taken by the pool instead of new ones.
 */
import { availableParallelism } from 'node:os';
import { afterEach, describe, expect, it } from 'vitest';
import { prestartWorkers, takeStartedWorker } from '../../src/cli/prestart.ts';

afterEach(async () => {
  for (let w = takeStartedWorker(); w !== undefined; w = takeStartedWorker()) await w.terminate();
});

describe('prestarted workers', () => {
  const cores = availableParallelism();

  it('start none for a single run, or for one worker or one replication', () => {
    expect(prestartWorkers(['run', 'mm4'])).toBe(0);
    expect(prestartWorkers(['run', 'mm4', '--workers', '1', '--replications', '8'])).toBe(0);
    expect(prestartWorkers(['run', 'mm4', '--replications', '1'])).toBe(0);
    expect(prestartWorkers(['run', 'mm4', '--replications', 'x'])).toBe(0);
    expect(takeStartedWorker()).toBeUndefined();
  });

  it('start the threads asked for, at most the cores less this one and the replications less one', () => {
    expect(prestartWorkers(['run', 'mm4', '--replications=8'])).toBe(cores - 1);
    expect(prestartWorkers(['plan', 'mm4', '--workers', '2'])).toBe(Math.min(2, cores) - 1);
    expect(prestartWorkers(['run', 'mm4', '--workers', '64', '--replications', '2'])).toBe(Math.min(2, cores) - 1);
  });

  it('are handed to the pool once each, referenced again', () => {
    const n = prestartWorkers(['run', 'mm4', '--workers', '2']);
    const taken = [];
    for (let w = takeStartedWorker(); w !== undefined; w = takeStartedWorker()) taken.push(w);
    expect(taken).toHaveLength(n);
    expect(takeStartedWorker()).toBeUndefined();
    return Promise.all(taken.map((w) => w.terminate()));
  });
});
