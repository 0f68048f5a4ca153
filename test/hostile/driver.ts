/**
 * A child process that runs servesim's CLI on hostile inputs, one case at a time, in
 * process: the suite pays one start-up for the whole corpus instead of one per case,
 * while a hang or a V8 crash still only costs this child (the parent kills and restarts
 * it). Each case runs in its own folder (process.chdir), and whatever reaches the real
 * stdout/stderr (not only the CLI's Io) is captured, so a stray warning or stack trace
 * is seen.
 */
import { main } from '../../src/cli/main.ts';

export interface DriverRequest {
  id: number;
  dir: string;
  args: string[];
}

export interface DriverReply {
  id: number;
  code: number;
  stdout: string;
  stderr: string;
  ms: number;
  /** Keys that appeared on Object.prototype during the case (prototype pollution). */
  polluted: string[];
}

const realOut = process.stdout.write.bind(process.stdout);
const realErr = process.stderr.write.bind(process.stderr);

process.on('message', (msg: DriverRequest) => {
  void (async () => {
    let stdout = '';
    let stderr = '';
    const capture =
      (append: (s: string) => void) =>
      (chunk: unknown): boolean => {
        append(typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString('utf8'));
        return true;
      };
    process.stdout.write = capture((s) => (stdout += s)) as typeof process.stdout.write;
    process.stderr.write = capture((s) => (stderr += s)) as typeof process.stderr.write;
    const before = new Set(Object.getOwnPropertyNames(Object.prototype));
    const t0 = performance.now();
    let code: number;
    try {
      process.chdir(msg.dir);
      code = await main(msg.args, { out: (t) => (stdout += t), err: (t) => (stderr += t) });
    } catch (err) {
      // main never throws; if it does, that is a finding in itself.
      stderr += `driver: main threw: ${(err as Error)?.stack ?? String(err)}\n`;
      code = 99;
    } finally {
      process.stdout.write = realOut;
      process.stderr.write = realErr;
    }
    const ms = performance.now() - t0;
    const polluted = Object.getOwnPropertyNames(Object.prototype).filter((k) => !before.has(k));
    for (const k of polluted) delete (Object.prototype as Record<string, unknown>)[k];
    const reply: DriverReply = { id: msg.id, code, stdout, stderr, ms, polluted };
    process.send!(reply);
  })();
});
process.send!({ ready: true });
