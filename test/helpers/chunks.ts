/**
 * Splits a log into chunks of a few sizes in turn, so that lines are cut anywhere: a parse
 * must give the same result whatever the chunks.
 */
export function chunks(
  log: string | Uint8Array,
  sizes: readonly number[] = [7, 113, 1024, 29],
): Buffer[] {
  const bytes =
    typeof log === "string"
      ? Buffer.from(log)
      : Buffer.from(log.buffer, log.byteOffset, log.byteLength);
  const out: Buffer[] = [];
  for (let at = 0, n = 0; at < bytes.length; n += 1) {
    const size = sizes[n % sizes.length] as number;
    out.push(bytes.subarray(at, at + size));
    at += size;
  }
  return out;
}
