import { splitPrefix, type PrefixedLine } from "./prefix.js";

/**
 * splitPrefix, with the last two `==PID== ` prefixes remembered: consecutive lines of one
 * process share one, and a parent and child writing into one log alternate between two, so
 * most lines cost a startsWith or two (profiled on the bench log, where two processes
 * interleave: with one remembered prefix, splitPrefix was 3% of summarizing).
 */
export class RememberedPrefixes {
  private lastPrefix: RememberedPrefix | undefined;
  private otherPrefix: RememberedPrefix | undefined;

  /**
   * The remembered prefix the ASCII bytes `buf[start, end)` start with, or undefined (then split
   * the line's text). Remembers as split does, for the byte path of frame lines.
   */
  matchBytes(buf: Uint8Array, start: number, end: number): RememberedPrefix | undefined {
    const last = this.lastPrefix;
    if (last !== undefined && startsWith(buf, start, end, last.prefix)) return last;
    const other = this.otherPrefix;
    if (other !== undefined && startsWith(buf, start, end, other.prefix)) {
      this.otherPrefix = last;
      this.lastPrefix = other;
      return other;
    }
    return undefined;
  }

  split(text: string): PrefixedLine | undefined {
    const last = this.lastPrefix;
    if (last !== undefined && text.startsWith(last.prefix)) {
      return { marker: "=", pid: last.pid, body: text.slice(last.prefix.length) };
    }
    const other = this.otherPrefix;
    if (other !== undefined && text.startsWith(other.prefix)) {
      this.otherPrefix = last;
      this.lastPrefix = other;
      return { marker: "=", pid: other.pid, body: text.slice(other.prefix.length) };
    }
    const prefixed = splitPrefix(text);
    if (prefixed?.marker === "=" && prefixed.body.length > 0) {
      const prefix = text.slice(0, text.length - prefixed.body.length);
      // Time-stamped prefixes change on every line: not worth remembering.
      if (prefix.length <= 16) {
        this.otherPrefix = last;
        this.lastPrefix = { prefix, pid: prefixed.pid };
      }
    }
    return prefixed;
  }
}

/** A `==PID== ` prefix as it was written, with its PID. */
export interface RememberedPrefix {
  prefix: string;
  pid: number;
}

function startsWith(buf: Uint8Array, start: number, end: number, prefix: string): boolean {
  if (end - start < prefix.length) return false;
  for (let i = 0; i < prefix.length; i += 1) {
    if (buf[start + i] !== prefix.charCodeAt(i)) return false;
  }
  return true;
}
