import { spawn, spawnSync } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readdirSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { guardStdio, type GuardedProcess } from '../../src/cli/stdio.ts';

// The real binary, with a shell-like world around it: pipes that close, a full device,
// a terminal and Ctrl-C. Kept to a few fast commands (list, a 2,000-request run).

const BIN = 'bin/servesim.mjs';
const noStack = (stderr: string) => expect(stderr).not.toMatch(/\n\s+at |internal error/);

describe('standard output', () => {
  it('a reader that goes away (EPIPE, as `| head -1`) ends quietly with status 0', async () => {
    const child = spawn(process.execPath, [BIN, 'list'], { stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.destroy(); // no reader left: the child's write fails with EPIPE
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('close', (c) => resolve(c)));
    expect(code).toBe(0);
    expect(stderr).toBe('');
  });

  it.skipIf(!existsSync('/dev/full'))('a full stdout (> /dev/full) is one clear line and exit 1', () => {
    const fd = openSync('/dev/full', 'w');
    try {
      const r = spawnSync(process.execPath, [BIN, 'list'], { stdio: ['ignore', fd, 'pipe'], encoding: 'utf8' });
      expect(r.status).toBe(1);
      expect(r.stderr).toBe('servesim: cannot write to standard output: no space left on device (ENOSPC)\n');
    } finally {
      closeSync(fd);
    }
  });

  it('the guard: EPIPE keeps the command\'s status, other errors exit 1 with a message, stderr errors are dropped', () => {
    const fake = () => {
      const p = { stdout: new EventEmitter(), stderr: Object.assign(new EventEmitter(), { text: '', write: (t: string) => (p.stderr.text += t) }), exitCode: undefined as number | undefined, exited: [] as number[] };
      const proc = { ...p, exit: (c?: number) => { p.exited.push(c ?? 0); throw new Error('exit'); } } as unknown as GuardedProcess;
      Object.defineProperty(proc, 'exitCode', { get: () => p.exitCode });
      guardStdio(proc);
      return p;
    };
    const a = fake();
    a.exitCode = 2;
    expect(() => a.stdout.emit('error', Object.assign(new Error('write EPIPE'), { code: 'EPIPE' }))).toThrow('exit');
    expect(a.exited).toEqual([2]);
    expect(a.stderr.text).toBe('');
    const b = fake();
    expect(() => b.stdout.emit('error', Object.assign(new Error('x'), { code: 'EIO' }))).toThrow('exit');
    expect(b.exited).toEqual([1]);
    expect(b.stderr.text).toBe('servesim: cannot write to standard output: input/output error (EIO)\n');
    const c = fake();
    expect(() => c.stderr.emit('error', Object.assign(new Error('write EPIPE'), { code: 'EPIPE' }))).not.toThrow();
  });
});

const hasPython = spawnSync('python3', ['-c', 'import pty'], { encoding: 'utf8' }).status === 0;

describe('Ctrl-C on a terminal', () => {
  // python3's pty module gives the binary a terminal on stderr, so the progress bar shows
  // (after 2 s); SIGINT is sent once it has drawn its first frame.
  const PTY = `
import os, pty, sys, time, signal, select, json
pid, fd = pty.fork()
if pid == 0:
    os.execv(sys.argv[1], sys.argv[1:])
out, sent, deadline = b'', False, time.time() + 20
while True:
    r, _, _ = select.select([fd], [], [], 0.05)
    if r:
        try: chunk = os.read(fd, 4096)
        except OSError: break
        if not chunk: break
        out += chunk
    if not sent and b'eta' in out:
        os.kill(pid, signal.SIGINT); sent = True
    if time.time() > deadline:
        os.kill(pid, signal.SIGKILL); break
_, status = os.waitpid(pid, 0)
print(json.dumps({'sent': sent, 'signal': os.WTERMSIG(status) if os.WIFSIGNALED(status) else None, 'code': os.WEXITSTATUS(status) if os.WIFEXITED(status) else None, 'out': out.decode('utf8', 'replace')}))
`;

  it.skipIf(!hasPython)('SIGINT during the progress bar ends the run at once (status 130) and leaves cursor and line wrap on', () => {
    // 20M requests take about a minute: the test would time out if SIGINT did not end the run.
    const r = spawnSync('python3', ['-c', PTY, process.execPath, BIN, 'run', 'realtime-ranker', '--set', 'stop.requests=20000000'], { encoding: 'utf8', timeout: 30_000 });
    const res = JSON.parse(r.stdout) as { sent: boolean; signal: number | null; code: number | null; out: string };
    expect(res.sent, res.out).toBe(true); // the bar was drawn
    expect(res.out).toContain('running realtime-ranker [');
    // Status 130 to a shell: killed by SIGINT (2), or exit code 130 from a handler.
    expect(res.signal === 2 || res.code === 130, JSON.stringify(res)).toBe(true);
    expect(res.out).not.toContain('End-to-end latency'); // it stopped, it did not finish
    // The terminal's modes are as they were: no hidden cursor, no disabled line wrap.
    expect(res.out).not.toContain('\u001b[?25l');
    expect(res.out).not.toContain('\u001b[?7l');
  }, 30_000);
});

// A full disk: a 64 KB tmpfs (needs root and mount rights, else skipped).
const mnt = mkdtempSync(join(tmpdir(), 'servesim-full-'));
const mounted = process.getuid?.() === 0 && spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', mnt]).status === 0;
const scenario = join(tmpdir(), `servesim-full-${process.pid}.yaml`);
afterAll(() => {
  if (mounted) spawnSync('umount', [mnt]);
  rmSync(mnt, { recursive: true, force: true });
  rmSync(scenario, { force: true });
});

describe('a full disk', () => {
  it.skipIf(!mounted)('report, CSV and shard part: exit 1 naming the path, no temp file, nothing half-written', () => {
    writeFileSync(scenario, 'arrivals: { process: poisson, qps: 50 }\nstop: { requests: 2000 }\nstages:\n  - name: m\n    replicas: 2\n    service: { dist: exponential, mean: "10ms" }\n');
    // Fill the disk to the last byte: every output's first write fails.
    mkdirSync(join(mnt, 'keep'));
    const fd = openSync(join(mnt, 'keep', 'filler'), 'w');
    try {
      for (;;) writeSync(fd, Buffer.alloc(1024));
    } catch (err) {
      expect((err as NodeJS.ErrnoException).code).toBe('ENOSPC');
    } finally {
      closeSync(fd);
    }
    // The CSV's two files are written together: whichever overflows, neither is left.
    const cases: Array<[string[], string]> = [
      [['run', scenario, '--csv', join(mnt, 'csv')], join(mnt, 'csv', 's')],
      [['run', scenario, '--replications', '2', '--report', join(mnt, 'r.md')], join(mnt, 'r.md')],
      [['run', scenario, '--replications', '2', '--shard', '0/2', '--out', join(mnt, 'p.json')], join(mnt, 'p.json')],
    ];
    for (const [args, path] of cases) {
      const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8' });
      expect(r.status, r.stderr).toBe(1);
      expect(r.stderr).toMatch(new RegExp(`^servesim: cannot write ${path}[^ ]*: no space left on device \\(ENOSPC\\)\n$`));
      noStack(r.stderr);
      expect(readdirSync(mnt)).toEqual(['keep']);
    }
  }, 30_000);
});
