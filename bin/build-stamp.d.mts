/** Whether `root` (a folder path ending in `/`) has a build stamp and no file of `src/` newer than it. */
export function buildIsFresh(root: string): boolean;
