import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { parseFile, type ParseResult } from "../../src/api/parse.js";
import type { CorpusCheck, CorpusChecker } from "./types.js";

/** One `SUMMARY check (pid N): ...` line of corpus/sanitizers/MANIFEST.md. */
export interface ManifestLeakCheck {
  pid: number;
  direct: { bytes: number; blocks: number };
  indirect: { bytes: number; blocks: number };
  summary: { bytes: number; blocks: number };
}

const CASE = /^## (\S+)$/;
const CHECK =
  /^- SUMMARY check \(pid (\d+)\): direct (\d+) B\/(\d+) obj, indirect (\d+) B\/(\d+) obj; listed \d+ B\/\d+; SUMMARY (\d+) B\/(\d+)/;

/** The leak ground truth of MANIFEST.md, per case name (`lsan-basic`), per process. */
export function readManifestChecks(manifest: string): Map<string, ManifestLeakCheck[]> {
  const checks = new Map<string, ManifestLeakCheck[]>();
  let current: string | undefined;
  for (const line of manifest.split("\n")) {
    const heading = CASE.exec(line);
    if (heading !== null) current = heading[1];
    const m = CHECK.exec(line);
    if (m === null || current === undefined) continue;
    const n = m.slice(1).map(Number);
    const list = checks.get(current) ?? [];
    list.push({
      pid: n[0] ?? 0,
      direct: { bytes: n[1] ?? 0, blocks: n[2] ?? 0 },
      indirect: { bytes: n[3] ?? 0, blocks: n[4] ?? 0 },
      summary: { bytes: n[5] ?? 0, blocks: n[6] ?? 0 },
    });
    checks.set(current, list);
  }
  return checks;
}

/** Direct and Indirect record sums and the SUMMARY total of one process. */
export function leakTotals(result: ParseResult, pid: number) {
  const sum = (kind: string) => {
    const records = result.leaks.filter((l) => l.pid === pid && l.kind === kind);
    return {
      bytes: records.reduce((a, l) => a + l.bytes, 0),
      blocks: records.reduce((a, l) => a + l.blocks, 0),
    };
  };
  const s = result.summaries.find((x) => x.pid === pid)?.leak;
  const summary =
    s === undefined
      ? undefined
      : {
          bytes: (s["definitely-lost"]?.bytes ?? 0) + (s["indirectly-lost"]?.bytes ?? 0),
          blocks: (s["definitely-lost"]?.blocks ?? 0) + (s["indirectly-lost"]?.blocks ?? 0),
        };
  return { direct: sum("definitely-lost"), indirect: sum("indirectly-lost"), summary };
}

const same = (a: { bytes: number; blocks: number }, b: { bytes: number; blocks: number }) =>
  a.bytes === b.bytes && a.blocks === b.blocks;

/**
 * Walks <corpusRoot>/sanitizers: every log must parse as "sanitizer" with no unrecognized line;
 * per process, Direct + Indirect records must equal the log's SUMMARY (unless it says it omitted
 * leaks) and MANIFEST.md's numbers; every `ERROR: AddressSanitizer` header must give one error
 * record, and every `#0` frame line one stack.
 */
export const checkSanitizer: CorpusChecker = async (corpusRoot) => {
  const dir = join(corpusRoot, "sanitizers");
  const manifest = readManifestChecks(
    await readFile(join(dir, "MANIFEST.md"), "utf8").catch(() => ""),
  );
  const names = (await readdir(dir)).filter((n) => n.endsWith(".log")).sort();
  const checks: CorpusCheck[] = [];
  for (const name of names) {
    const text = await readFile(join(dir, name), "utf8");
    const result = await parseFile(join(dir, name), { path: name });
    const expected = manifest.get(name.replace(/\.log$/, ""));
    checks.push({ file: `sanitizers/${name}`, ...checkOne(text, result, expected) });
  }
  return checks;
};

function checkOne(text: string, result: ParseResult, expected: ManifestLeakCheck[] | undefined) {
  if (text.length === 0) {
    return { ok: result.fatal?.code === "empty-input", detail: "empty file (no report)" };
  }
  const problems: string[] = [];
  const notes: string[] = [];
  if (result.source.format !== "sanitizer") problems.push(`detected as ${result.source.format}`);
  if (result.source.counters.unrecognizedLines > 0) {
    problems.push(`${result.source.counters.unrecognizedLines} unrecognized line(s)`);
  }
  for (const d of result.diagnostics.filter((x) => x.code === "sanitizer-syntax"))
    problems.push(d.message);
  const pids = [...new Set(result.summaries.map((s) => s.pid ?? 0))];
  for (const pid of pids) checkProcess(result, pid, expected, problems, notes);
  for (const e of expected ?? []) {
    if (!pids.includes(e.pid)) problems.push(`pid ${e.pid}: no SUMMARY parsed`);
  }
  checkErrors(text, result, problems, notes);
  return { ok: problems.length === 0, detail: (problems.length > 0 ? problems : notes).join("; ") };
}

function checkProcess(
  result: ParseResult,
  pid: number,
  expected: ManifestLeakCheck[] | undefined,
  problems: string[],
  notes: string[],
): void {
  const t = leakTotals(result, pid);
  const listed = {
    bytes: t.direct.bytes + t.indirect.bytes,
    blocks: t.direct.blocks + t.indirect.blocks,
  };
  const omitted = result.diagnostics.some((d) => d.code === "leaks-omitted" && d.pid === pid);
  const show = `${listed.bytes} B/${listed.blocks}`;
  if (t.summary !== undefined && !same(listed, t.summary) && !omitted) {
    problems.push(
      `pid ${pid}: records ${show} != SUMMARY ${t.summary.bytes} B/${t.summary.blocks}`,
    );
  }
  const e = expected?.find((x) => x.pid === pid);
  if (e !== undefined && !(same(e.direct, t.direct) && same(e.indirect, t.indirect))) {
    problems.push(`pid ${pid}: records differ from MANIFEST`);
  }
  if (e !== undefined && t.summary !== undefined && !same(e.summary, t.summary)) {
    problems.push(`pid ${pid}: SUMMARY differs from MANIFEST`);
  }
  notes.push(
    `pid ${pid}: records ${show}${omitted ? " (leaks omitted, max_leaks)" : " = SUMMARY"}${e !== undefined ? " = MANIFEST" : ""}`,
  );
}

function checkErrors(text: string, result: ParseResult, problems: string[], notes: string[]): void {
  const plain = text.replace(/\x1b\[[0-9;]*m/g, "");
  const headers = (plain.match(/^==\d+==ERROR: AddressSanitizer: /gm) ?? []).length;
  const frames0 = (plain.match(/^\s*#0 0x/gm) ?? []).length - result.leaks.length;
  const stacks = result.errors.reduce(
    (a, e) => a + 1 + e.aux.filter((x) => x.stack !== undefined).length,
    0,
  );
  if (headers !== result.errors.length)
    problems.push(`${headers} error header(s), ${result.errors.length} record(s)`);
  if (headers > 0 && frames0 !== stacks)
    problems.push(`${frames0} error stack(s) in the log, ${stacks} parsed`);
  if (headers > 0) notes.push(`${headers} error report(s), ${stacks} stack(s)`);
}
