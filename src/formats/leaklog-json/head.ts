// `"generator": { "name": "leaklog"` pretty-printed (as `--format json` writes it) or minified.
export const GENERATOR = /"generator"\s*:\s*\{\s*"name"\s*:\s*"leaklog"/;

/**
 * Whether lines are those of a leaklog JSON or NDJSON report: the format's detection, on the
 * head of an input, and what tells a damaged report from a log forced as one (see replay.ts).
 */
export function isReportHead(lines: readonly string[]): boolean {
  if (!lines[0]?.trimStart().startsWith("{")) return false;
  const text = lines.join("\n");
  return text.includes('"schemaVersion"') && GENERATOR.test(text);
}
