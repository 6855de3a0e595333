/*
 * The body of a `--PID--` line that -s or -v prints after the first ERROR SUMMARY for each
 * suppression that matched (m_errormgr.c's show_used_suppressions, Valgrind 3.19):
 *
 *   used_suppression:      1 leaklog-definitely-lost-60d6dc1d069f908c leaks.supp:2 suppressed: 100 bytes in 1 blocks
 *   used_suppression:      1 leaklog-InvalidRead-8b3133a58b96a50a all.supp:2
 *
 * `%6d %s %s:%d` then the tool's extra text: Memcheck's MC_(print_extra_suppression_use) gives
 * leak entries alone the bytes and blocks they suppressed in the last leak check (`%'lu`, with
 * thousands commas). Valgrind before 3.9 printed the count and the name only. A name may hold
 * spaces, a file too: the file is taken as the last word before the extra text, the name as
 * the rest. Syntax only (src/formats/valgrind/used-suppressions.ts gives it meaning).
 */

const HEAD = /^used_suppression: *(\d+) /;
const LEAK_TAIL = / suppressed: ([\d,]+) bytes in ([\d,]+) blocks$/;
const PLACE = /^(\S+):(\d+)$/;
/** Longer lines are no line of this kind (capped before any regular expression runs). */
const MAX_LINE = 4096;

/** The fields of a `used_suppression:` line, as printed. */
export interface UsedSuppressionFields {
  count: string;
  name: string;
  file?: string;
  line?: string;
  bytes?: string;
  blocks?: string;
}

/** The fields of a `--PID--` line's body when it is a `used_suppression:` line. */
export function usedSuppressionFields(body: string): UsedSuppressionFields | undefined {
  // Every -v line comes here: the first character is checked before anything else.
  if (body.charCodeAt(0) !== 117 /* u */ || body.length > MAX_LINE) return undefined;
  const head = HEAD.exec(body);
  if (head === null) return undefined;
  let rest = body.slice(head[0].length);
  const fields: UsedSuppressionFields = { count: head[1] as string, name: "" };
  const tail = LEAK_TAIL.exec(rest);
  if (tail !== null) {
    fields.bytes = tail[1] as string;
    fields.blocks = tail[2] as string;
    rest = rest.slice(0, tail.index);
  }
  const space = rest.lastIndexOf(" ");
  const place = space > 0 ? PLACE.exec(rest.slice(space + 1)) : null;
  if (place !== null) {
    fields.file = place[1] as string;
    fields.line = place[2] as string;
    rest = rest.slice(0, space);
  }
  if (rest === "") return undefined;
  fields.name = rest;
  return fields;
}
