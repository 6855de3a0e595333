import { resolve } from "node:path";
import { readFile } from "node:fs/promises";
import { baselineKey } from "../analysis/baseline.js";
import {
  DEFAULT_FINGERPRINT_OPTIONS,
  fingerprintStack,
  type FingerprintOptions,
} from "../analysis/fingerprint.js";
import { RECORDS_OMITTED } from "../formats/leaklog-json/replay.js";
import { parseChunks, parseFile, type ParseResult } from "../api/parse.js";
import { summarize } from "../api/summarize.js";
import { Report, type FormatId, type Group } from "../model/index.js";
import { UsageError } from "./errors.js";
import { expandInputs } from "./inputs.js";
import type { CliIO } from "./run.js";

/**
 * Parses every input (files, globs, `-`), reporting unusable ones on stderr. Record ids get the
 * input's index as prefix so that they stay unique across inputs.
 */
export async function loadInputs(
  inputs: readonly string[],
  inputFormat: FormatId | "auto",
  io: CliIO,
  allowEmpty = false,
): Promise<ParseResult[]> {
  const paths = await expandInputs(inputs, io.cwd);
  const results: ParseResult[] = [];
  for (const [index, path] of paths.entries()) {
    const parseOptions = { inputFormat, idPrefix: `${index}:`, allowEmpty };
    const result =
      path === "-"
        ? await parseChunks(io.stdin, { ...parseOptions, path: "-" })
        : await parseFile(resolve(io.cwd, path), { ...parseOptions, path });
    if (result.fatal !== undefined) io.stderr.write(`leaklog: ${path}: ${result.fatal.message}\n`);
    results.push(result);
  }
  return results;
}

/**
 * The baseline's groups: a previous `--format json` report (or any log leaklog reads), parsed
 * and grouped like the current inputs (its stacks fingerprinted again, with the run's
 * `fingerprint` options, whatever the options of the run that wrote it). An unusable or damaged
 * baseline is misuse: comparing against nothing would call every finding new.
 */
export async function loadBaseline(
  path: string,
  io: CliIO,
  fingerprint?: FingerprintOptions,
): Promise<{ groups: Group[] }> {
  const result = await parseFile(resolve(io.cwd, path), {
    path,
    idPrefix: "baseline:",
    ...(fingerprint !== undefined ? { fingerprint } : {}),
  });
  const bad =
    result.fatal?.message ?? result.diagnostics.find((d) => d.code === "bad-report")?.message;
  if (bad !== undefined) throw new UsageError("bad-option", `baseline ${path}: ${bad}`);
  const replayed = summarize([result]).groups;
  if (!result.diagnostics.some((d) => d.code === RECORDS_OMITTED)) return { groups: replayed };
  const listed = await reportGroups(resolve(io.cwd, path), fingerprint);
  const seen = new Set(replayed.map(baselineKey));
  const more = listed.filter((g) => !seen.has(baselineKey(g)) && seen.add(baselineKey(g)));
  return { groups: [...replayed, ...more] };
}

/**
 * The groups a leaklog JSON report lists, fingerprinted again from their stacks. A report
 * written with --max-records (10,000 of each by default) lists only some records, and groups
 * replayed from them miss the rest: a 105 MB log compared against its own baseline had 652 of
 * its 7,200 groups "new". The report's groups are all there; the replayed ones still come
 * first, as only records can split a group when the fingerprint options differ.
 */
async function reportGroups(file: string, fingerprint?: FingerprintOptions): Promise<Group[]> {
  const parsed = Report.safeParse(JSON.parse(await readFile(file, "utf8")));
  if (!parsed.success) return [];
  const options = fingerprint ?? DEFAULT_FINGERPRINT_OPTIONS;
  return parsed.data.groups
    .filter((g) => g.baseline !== "fixed")
    .map((g) => ({ ...g, fingerprint: fingerprintStack(g.stack, options) }));
}
