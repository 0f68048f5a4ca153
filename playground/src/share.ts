/**
 * A configuration in a URL: the scenario (a built-in's name, or the whole text) and the
 * knob values, as JSON in location.hash, so a teacher can send a link and the page opens on
 * the same numbers. The JSON is deflated (CompressionStream 'deflate-raw') when the browser
 * has it, then base64url-encoded: `#z=...` deflated, `#j=...` plain. Nothing leaves the
 * browser: the hash is never sent to a server.
 */

/** What a link carries. */
export interface SharedState {
  /** A built-in scenario's name, when the text is the built-in's, unedited. */
  builtin?: string;
  /** Otherwise the scenario text and the name its messages use. */
  text?: string;
  name?: string;
  /** Knob values that differ from the file, by path. */
  knobs: Record<string, number | string>;
  /** The "compare with previous" toggle. */
  compare?: boolean;
}

function toBase64Url(bytes: Uint8Array<ArrayBuffer>): string {
  let bin = '';
  for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromBase64Url(s: string): Uint8Array<ArrayBuffer> {
  const bin = atob(s.replace(/-/g, '+').replace(/_/g, '/'));
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

async function pipe(bytes: Uint8Array<ArrayBuffer>, stream: CompressionStream | DecompressionStream): Promise<Uint8Array<ArrayBuffer>> {
  const out = new Response(new Blob([bytes]).stream().pipeThrough(stream));
  return new Uint8Array(await out.arrayBuffer());
}

const canDeflate = () => typeof CompressionStream === 'function' && typeof DecompressionStream === 'function';

/** The hash (without '#') for a state. */
export async function encodeState(state: SharedState): Promise<string> {
  const json = new TextEncoder().encode(JSON.stringify(state));
  if (canDeflate()) return `z=${toBase64Url(await pipe(json, new CompressionStream('deflate-raw')))}`;
  return `j=${toBase64Url(json)}`;
}

/** The state in a hash (with or without '#'), or null when there is none or it cannot be read. */
export async function decodeState(hash: string): Promise<SharedState | null> {
  const h = hash.replace(/^#/, '');
  const m = /^([zj])=([A-Za-z0-9_-]*)$/.exec(h);
  if (!m) return null;
  try {
    let bytes = fromBase64Url(m[2]!);
    if (m[1] === 'z') bytes = await pipe(bytes, new DecompressionStream('deflate-raw'));
    const state = JSON.parse(new TextDecoder().decode(bytes)) as SharedState;
    if (state === null || typeof state !== 'object' || typeof state.knobs !== 'object' || state.knobs === null) return null;
    return state;
  } catch {
    return null;
  }
}
