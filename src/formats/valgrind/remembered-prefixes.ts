import { splitPrefix, type PrefixedLine } from "./prefix.js";

/**
 * splitPrefix, with the last two `==PID== ` prefixes remembered: consecutive lines of one
 * process share one, and a parent and child writing into one log alternate between two, so
 * most lines cost a startsWith or two (profiled on the bench log, where two processes
 * interleave: with one remembered prefix, splitPrefix was 3% of summarizing).
 */
export class RememberedPrefixes {
  private lastPrefix: { prefix: string; pid: number } | undefined;
  private otherPrefix: { prefix: string; pid: number } | undefined;

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
