import { createHash } from "node:crypto";
import { flatCopy } from "../analysis/detach.js";

/**
 * Characters kept of a frame's function, object, file or directory name. Real names stay below
 * it (a template nested 7,000 deep is 82 KB mangled: test/fixtures/valgrind/long-names; a path,
 * PATH_MAX's 4,096); a hostile log's frames of 900,000 characters each, 300 to a stack, took
 * 2 GB and 33 s to summarize, scanned again by every check that reads a name.
 */
export const MAX_NAME_LENGTH = 1 << 18;

/**
 * A name cut to MAX_NAME_LENGTH, with its full length and a hash of it in its place, so that
 * two long names alike up to the cut stay two names (and two fingerprints): `name…[900,001
 * characters, sha1 1a2b3c4d]`. Shorter names come back as they are.
 */
export function boundedName(name: string): string {
  if (name.length <= MAX_NAME_LENGTH) return name;
  // Native: a loop over the characters took a fifth of such a log's time.
  const digest = createHash("sha1").update(name).digest("hex").slice(0, 8);
  const length = name.length.toLocaleString("en-US");
  // A copy: a slice would keep the whole name, and its log line, alive.
  return flatCopy(`${name.slice(0, MAX_NAME_LENGTH)}…[${length} characters, sha1 ${digest}]`);
}
