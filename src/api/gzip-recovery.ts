import { constants, gunzipSync } from "node:zlib";

/**
 * What damaged gzip data holds: every byte zlib decompresses before the damage, and how the data
 * ends there: cut or broken (`damage`: the log is incomplete), or whole with bytes after it that
 * are no gzip member (`trailing`: ignored, said in a warning).
 */
export interface RecoveredGzip {
  data: Buffer;
  damage?: string;
  trailing?: string;
}

/**
 * Decompresses gzip data that zlib refused (`error`, what it said of the whole) as far as zlib
 * can. Node's zlib drops all the output of the call that fails (campaign bi F2: up to 256 KiB of
 * a file's last chunk, or a small file's whole log), so the longest prefix that decompresses
 * without an error is found by bisection, and decompressed flushed (what `gzip -dc` and
 * Python's zlib fed byte by byte give). Only on damage: it costs about log2(length) decompressions
 * of `bytes` (20 for the 1 MiB GzipInput keeps).
 */
export function recoverGunzip(bytes: Uint8Array, error: unknown): RecoveredGzip {
  const why = error instanceof Error ? error.message : String(error);
  let good = 0;
  let bad = bytes.byteLength;
  if (gunzipsPart(bytes, bad)) good = bad;
  while (bad - good > 1) {
    const middle = Math.floor((good + bad) / 2);
    if (gunzipsPart(bytes, middle)) good = middle;
    else bad = middle;
  }
  const data = gunzipPart(bytes, good);
  // zlib says "incorrect header check" only where a member must start (Node's gunzip reads the
  // members of `cat a.gz b.gz` on), and the first member's magic number was checked before: so
  // the bytes after the last whole member do not start like gzip data. `gzip -d` calls that "OK,
  // trailing garbage ignored", and so does leaklog: every member's log is there and checked
  // (CRC), so the source stays complete, with a warning. Bytes that start like a member and
  // break are a damaged member (an incomplete log), as gzip has it.
  if (why === "incorrect header check") {
    return { data, trailing: `bytes after the gzip data are not gzip data (${why}): ignored` };
  }
  return { data, damage: damaged(why, data.byteLength) };
}

/**
 * The message of gzip data that breaks after `bytesOut` decompressed bytes; `lost` when the
 * output zlib dropped at the break could not be decompressed again (see GzipInput).
 */
export function damaged(why: string, bytesOut: number, lost = false): string {
  if (bytesOut === 0) return `damaged gzip data (${why}): nothing could be decompressed`;
  const upTo = lost
    ? "the log is read up to there, less the last part zlib dropped (the input was too big to decompress again)"
    : "the log is read up to there";
  return `the gzip data breaks after ${bytesOut} decompressed bytes (${why}): ${upTo}`;
}

function gunzipsPart(bytes: Uint8Array, length: number): boolean {
  try {
    gunzipPart(bytes, length);
    return true;
  } catch (error) {
    if (!isZlibError(error)) throw error;
    return false;
  }
}

/** The first `length` bytes decompressed; flushed, not finished: a cut is no error. */
function gunzipPart(bytes: Uint8Array, length: number): Buffer {
  return gunzipSync(bytes.subarray(0, length), { finishFlush: constants.Z_SYNC_FLUSH });
}

/** An error of zlib's own: it carries zlib's code (Z_DATA_ERROR, Z_BUF_ERROR). */
export function isZlibError(error: unknown): boolean {
  const zlibCode = (error as { code?: unknown } | null)?.code;
  return typeof zlibCode === "string" && zlibCode.startsWith("Z_");
}
