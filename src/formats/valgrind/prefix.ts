/** What the prefix of one text-log line says. */
export interface PrefixedLine {
  /** `=` for normal messages, `-` for `-v` debug lines, `*` for client messages. */
  marker: "=" | "-" | "*";
  pid: number;
  /** The text after the prefix and its one separating space. */
  body: string;
}

const MARKERS = new Set(["=", "-", "*"]);

/**
 * Splits `==PID== body`, `--PID-- body`, `**PID** body` and the `--time-stamp=yes` form
 * `==DD:HH:MM:SS.mmm PID== body`. Returns undefined for lines without a prefix (the program's
 * own output, suppression blocks). Hand-written rather than a regex: it runs on every line.
 */
export function splitPrefix(line: string): PrefixedLine | undefined {
  const c = line[0];
  if (c === undefined || !MARKERS.has(c) || line[1] !== c) return undefined;
  const i = 2;

  let digitsStart = i;
  // --time-stamp=yes: `==00:00:00:11.837 6857== `
  if (line.charCodeAt(i + 2) === 58 /* : */) {
    const space = line.indexOf(" ", i);
    if (space === -1 || space > i + 20) return undefined;
    digitsStart = space + 1;
  }
  let j = digitsStart;
  while (j < line.length && isDigit(line.charCodeAt(j))) j += 1;
  if (j === digitsStart || j - digitsStart > 10) return undefined;
  if (line[j] !== c || line[j + 1] !== c) return undefined;
  const pid = Number(line.slice(digitsStart, j));
  let bodyStart = j + 2;
  if (line[bodyStart] === " ") bodyStart += 1;
  return { marker: c as PrefixedLine["marker"], pid, body: line.slice(bodyStart) };
}

function isDigit(code: number): boolean {
  return code >= 48 && code <= 57;
}
