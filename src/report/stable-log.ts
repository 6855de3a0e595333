/**
 * A log's path as it stays from run to run, for the fingerprints CI systems track findings by:
 * the PID that `--log-file=vg.%p.log` (the README's advice for `--trace-children=yes`) put in
 * its file name is written `%p` again. With it, every run closed each alert of a leak only a
 * summary counts and opened a new one (campaign bb).
 */
export function stableLogPath(path: string, pid: number | undefined): string {
  if (pid === undefined) return path;
  const slash = path.lastIndexOf("/") + 1;
  const name = path.slice(slash).replace(new RegExp(`(?<![0-9])${pid}(?![0-9])`, "g"), "%p");
  return `${path.slice(0, slash)}${name}`;
}

/**
 * Counts the keys it is given, so that entries that share one get fingerprints of their own:
 * `1` the first time a key is seen, `2` the next, in the report's (input) order.
 */
export class Ordinals {
  private readonly seen = new Map<string, number>();

  next(key: string): number {
    const ordinal = (this.seen.get(key) ?? 0) + 1;
    this.seen.set(key, ordinal);
    return ordinal;
  }
}
