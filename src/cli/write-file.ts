import { accessSync, closeSync, constants, fsyncSync, mkdirSync, openSync, renameSync, rmdirSync, rmSync, statSync, writeSync, type Stats } from 'node:fs';
import { basename, dirname, extname, join, resolve } from 'node:path';
import { InputError } from '../config/errors.ts';

/**
 * A file the CLI could not write (full disk, permissions, a folder removed mid-run).
 * Not the user's input and not a bug: the CLI prints its message, naming the path, and
 * exits 1 without a stack trace.
 */
export class OutputError extends Error {
  constructor(
    readonly path: string,
    readonly code: string | undefined,
    message: string,
  ) {
    super(message);
    this.name = 'OutputError';
  }
}

/** A system error as words a user acts on ("no space left on device"), with its code. */
export function describeIoError(err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  const words: Record<string, string> = {
    ENOSPC: 'no space left on device',
    EDQUOT: 'disk quota exceeded',
    EACCES: 'permission denied',
    EPERM: 'operation not permitted',
    EROFS: 'read-only file system',
    ENOENT: 'its folder no longer exists',
    ENOTDIR: 'a part of the path is not a folder',
    EISDIR: 'it is a folder',
    EIO: 'input/output error',
    EFBIG: 'file too large',
    EPIPE: 'the reader closed the pipe',
    EBADF: 'the stream is closed',
  };
  const w = e?.code !== undefined ? words[e.code] : undefined;
  return w !== undefined ? `${w} (${e.code})` : (e?.message ?? String(err));
}

function statOrUndefined(path: string): Stats | undefined {
  try {
    return statSync(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

/** Problems with a folder the CLI will write into: it must exist, be a folder and be writable. */
function folderProblem(folder: string): string | undefined {
  let st: Stats | undefined;
  try {
    st = statOrUndefined(folder);
  } catch (err) {
    return `its folder ${folder} cannot be read: ${describeIoError(err)}`;
  }
  if (st === undefined) return `its folder ${folder} does not exist (create it first)`;
  if (!st.isDirectory()) return `${folder} is not a folder`;
  try {
    accessSync(folder, constants.W_OK);
  } catch {
    return `its folder ${folder} is not writable`;
  }
  return undefined;
}

/**
 * Checks, before anything runs, that `path` can be written as a file: its folder exists
 * and is writable, the path is not a folder or a device, and it ends in one of `exts`
 * (`shownExts` says them in the message, e.g. ".html or .md").
 * Throws an InputError naming the flag and the path (exit 2), so no simulation is
 * spent on a result that cannot be saved.
 */
export function checkOutputFile(flag: string, path: string, exts: readonly string[], shownExts: string): void {
  if (path.trim() === '') throw new InputError([`${flag}: expected a file name, got an empty one`]);
  const ext = extname(path).toLowerCase();
  if (!exts.includes(ext)) throw new InputError([`${flag} ${path}: expected a file ending in ${shownExts}`]);
  if (/[\\/]$/.test(path)) throw new InputError([`${flag} ${path}: names a folder (it ends in "/"); give a file name`]);
  const full = resolve(path);
  let st: Stats | undefined;
  try {
    st = statOrUndefined(full);
  } catch (err) {
    throw new InputError([`${flag} ${path}: cannot be checked: ${describeIoError(err)}`]);
  }
  if (st?.isDirectory()) throw new InputError([`${flag} ${path}: is a folder; give a file name inside it`]);
  if (st !== undefined && !st.isFile()) throw new InputError([`${flag} ${path}: is not a regular file (a device or a pipe); give a file name`]);
  const problem = folderProblem(dirname(full));
  if (problem !== undefined) throw new InputError([`${flag} ${path}: ${problem}`]);
}

/**
 * Checks that `dir` can receive files: an existing writable folder, or a new one whose
 * parent exists and is writable (only the last level is created).
 */
export function checkOutputDir(flag: string, dir: string): void {
  if (dir.trim() === '') throw new InputError([`${flag}: expected a folder name, got an empty one`]);
  const full = resolve(dir);
  let st: Stats | undefined;
  try {
    st = statOrUndefined(full);
  } catch (err) {
    throw new InputError([`${flag} ${dir}: cannot be checked: ${describeIoError(err)}`]);
  }
  if (st !== undefined && !st.isDirectory()) throw new InputError([`${flag} ${dir}: is a file, not a folder`]);
  const problem = st !== undefined ? (folderProblem(full) === undefined ? undefined : `folder ${full} is not writable`) : folderProblem(dirname(full));
  if (problem !== undefined) throw new InputError([`${flag} ${dir}: ${problem}`]);
}

// Temp names must differ between two writes of one process; no randomness is needed
// (or allowed in src): the pid separates processes, the counter writes.
let serial = 0;

function tempPathFor(path: string): string {
  return join(dirname(path), `.${basename(path)}.tmp-${process.pid}-${serial++}`);
}

/** Writes `text` to a new file and flushes it to the disk: a full disk fails here, not later. */
function writeDurably(path: string, text: string): void {
  const fd = openSync(path, 'wx', 0o644);
  try {
    const buf = Buffer.from(text, 'utf8');
    let off = 0;
    while (off < buf.length) off += writeSync(fd, buf, off, buf.length - off);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** Flushes a folder's entries (the renames) to the disk; not every file system can. */
function syncFolder(folder: string): void {
  try {
    const fd = openSync(folder, 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch {
    // Best effort: the data itself is already on the disk.
  }
}

/**
 * Writes several files all or nothing, as far as a file system allows: each goes to a
 * temporary file in its own folder, flushed, and only when every one is written are
 * they renamed into place. On any failure the temporary files are removed and an
 * OutputError names the path that failed; no file is left half-written.
 */
export function writeFilesAtomic(files: ReadonlyArray<{ path: string; text: string }>): void {
  const temps: Array<string | undefined> = [];
  let current = files[0]?.path ?? '';
  try {
    for (const f of files) {
      current = f.path;
      const tmp = tempPathFor(f.path);
      temps.push(tmp);
      writeDurably(tmp, f.text);
    }
    files.forEach((f, i) => {
      current = f.path;
      renameSync(temps[i]!, f.path);
      temps[i] = undefined;
    });
  } catch (err) {
    for (const t of temps) if (t !== undefined) rmSync(t, { force: true });
    throw new OutputError(current, (err as NodeJS.ErrnoException).code, `cannot write ${current}: ${describeIoError(err)}`);
  }
  for (const folder of new Set(files.map((f) => dirname(resolve(f.path))))) syncFolder(folder);
}

/** Writes one file atomically (see writeFilesAtomic): the old content or the new, never a part. */
export function writeFileAtomic(path: string, text: string): void {
  writeFilesAtomic([{ path, text }]);
}

/**
 * Writes files into `dir`, creating the folder itself if needed (its parent must
 * exist); a folder created here is removed again when the writes fail.
 */
export function writeFilesInto(dir: string, files: ReadonlyArray<{ name: string; text: string }>): string[] {
  let created = false;
  try {
    created = mkdirSync(dir, { recursive: true }) !== undefined;
  } catch (err) {
    throw new OutputError(dir, (err as NodeJS.ErrnoException).code, `cannot create the folder ${dir}: ${describeIoError(err)}`);
  }
  const paths = files.map((f) => ({ path: join(dir, f.name), text: f.text }));
  try {
    writeFilesAtomic(paths);
  } catch (err) {
    if (created) {
      try {
        rmdirSync(dir);
      } catch {
        // Not empty (someone else wrote there): leave it.
      }
    }
    throw err;
  }
  return paths.map((p) => p.path);
}

/**
 * Writes a command's output file (a shard's part) atomically; on failure (a full disk,
 * a folder gone since the check) prints one line naming the path with `err` and
 * returns false, for the caller to exit 1. Nothing is left behind, not even a temp file.
 */
export function writeOutputFile(path: string, text: string, err: (line: string) => void): boolean {
  try {
    writeFileAtomic(path, text);
    return true;
  } catch (e) {
    if (!(e instanceof OutputError)) throw e;
    err(`servesim: ${e.message}\n`);
    return false;
  }
}
