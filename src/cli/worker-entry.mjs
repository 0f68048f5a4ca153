// Entry of a worker thread: teach it TypeScript (tsx), then load the worker proper.
import { register } from 'tsx/esm/api';

register();
await import('./worker.ts');
