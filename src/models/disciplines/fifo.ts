import { RingQueue } from '../../engine/index.ts';
import type { Request } from '../request.ts';
import type { DisciplineFactory } from './waiting-line.ts';

/** First in, first out: today's ring queue, unchanged (the default, and the fast path). */
export const makeFifo: DisciplineFactory = () => new RingQueue<Request>(16);
