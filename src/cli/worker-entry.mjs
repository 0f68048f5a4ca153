// Entry of a worker thread: teach it TypeScript (tsx), then serve the pool (worker.ts).
import { register } from 'tsx/esm/api';

register();
(await import('./worker.ts')).serveWorker();
