/**
 * The Web Worker that runs simulations, so the page never freezes. One request per worker
 * life: the page terminates a worker whose run went stale and starts the next run on a
 * fresh one (see runner.ts), so nothing here needs to check for cancellation.
 */
import { handle, type RunRequest, type WorkerReply } from './simulate.ts';

const scope = self as unknown as { onmessage: ((e: MessageEvent<RunRequest>) => void) | null; postMessage(r: WorkerReply): void };

scope.onmessage = (e) => handle(e.data, (r) => scope.postMessage(r));
