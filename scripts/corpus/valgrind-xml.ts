import { existsSync } from "node:fs";
import { readdir, readFile } from "node:fs/promises";
import { join, relative } from "node:path";
import { parseFile, type ParseResult } from "../../src/api/parse.js";
import type { ErrorRecord, LeakRecord } from "../../src/model/index.js";
import type { CorpusCheck, CorpusChecker } from "./types.js";

/** One `<error>` as a plain scan of the file sees it, independent of leaklog's parser. */
interface Expected {
  line: number;
  kind: string;
  bytes?: number;
  blocks?: number;
  fns?: (string | null)[];
}

/** The leak kinds of the model, by XML kind. */
const LEAK_KINDS: Record<string, string> = {
  Leak_DefinitelyLost: "definitely-lost",
  Leak_IndirectlyLost: "indirectly-lost",
  Leak_PossiblyLost: "possibly-lost",
  Leak_StillReachable: "still-reachable",
};

const num = (s: string | undefined): number | undefined =>
  s === undefined ? undefined : Number(s.replace(/,/g, ""));

/** Scans the raw text for `<error>` blocks: start line, kind, leaked bytes and blocks. */
function scan(text: string): { errors: Expected[]; fatalSignals: number } {
  const errors: Expected[] = [];
  const lines = text.split("\n");
  let current: Expected | undefined;
  lines.forEach((line, i) => {
    if (/^\s*<error>\s*$/.test(line)) {
      current = { line: i + 1, kind: "?" };
      errors.push(current);
    }
    if (current === undefined) return;
    const kind = /<kind>([^<]*)<\/kind>/.exec(line);
    if (kind?.[1] !== undefined && current.kind === "?") current.kind = kind[1];
    const bytes = num(/<leakedbytes>([^<]*)</.exec(line)?.[1]);
    const blocks = num(/<leakedblocks>([^<]*)</.exec(line)?.[1]);
    if (bytes !== undefined) current.bytes = bytes;
    if (blocks !== undefined) current.blocks = blocks;
    if (/<\/error>/.test(line)) current = undefined;
  });
  return { errors, fatalSignals: (text.match(/<fatal_signal>/g) ?? []).length };
}

interface TruthError {
  kind: string;
  stack: { fn: string | null }[];
}

/** NAME.truth.json next to the file (corpus/valgrind), written by the corpus's truth.py. */
async function truthOf(path: string): Promise<TruthError[] | undefined> {
  const file = path.replace(/\.xml$/, ".truth.json");
  if (!existsSync(file)) return undefined;
  return (JSON.parse(await readFile(file, "utf8")) as { errors: TruthError[] }).errors;
}

function problemsOf(want: Expected, got: LeakRecord | ErrorRecord | undefined): string[] {
  if (got === undefined) return [`no record for the <error> at line ${want.line}`];
  const at = `line ${want.line}`;
  const problems: string[] = [];
  const kind = got.type === "leak" ? got.toolKind : got.kind;
  if (kind !== want.kind) problems.push(`${at}: kind ${kind}, expected ${want.kind}`);
  if (want.kind in LEAK_KINDS) {
    const leak = got as LeakRecord;
    if (leak.kind !== LEAK_KINDS[want.kind]) problems.push(`${at}: leak kind ${leak.kind}`);
    if (leak.bytes !== want.bytes || leak.blocks !== want.blocks) {
      problems.push(`${at}: ${leak.bytes}/${leak.blocks}, expected ${want.bytes}/${want.blocks}`);
    }
  }
  if (want.fns !== undefined) {
    const fns = got.stack.map((f) => f.function ?? null);
    const expected = want.fns.map((f) => (f === "???" ? null : f));
    if (JSON.stringify(fns) !== JSON.stringify(expected)) problems.push(`${at}: stack differs`);
  }
  return problems;
}

async function checkOne(corpusRoot: string, path: string): Promise<CorpusCheck> {
  const file = relative(corpusRoot, path);
  const { errors, fatalSignals } = scan(await readFile(path, "utf8"));
  const truth = await truthOf(path);
  truth?.forEach((t, i) => {
    const e = errors[i];
    if (e !== undefined && e.kind === t.kind) e.fns = t.stack.map((f) => f.fn);
  });
  const got: ParseResult = await parseFile(path, { path: file });
  const records = [...got.leaks, ...got.errors];
  const byLine = new Map(records.map((r) => [r.location.line, r]));
  const problems = errors.flatMap((e) => problemsOf(e, byLine.get(e.line)));
  if (got.source.format !== "valgrind-xml") problems.unshift(`detected as ${got.source.format}`);
  if (truth !== undefined && truth.length !== errors.length) problems.push("truth.json differs");
  const fatal = got.errors.filter((e) => e.kind === "FatalSignal").length;
  if (records.length !== errors.length + fatal || fatal !== fatalSignals) {
    problems.push(
      `${records.length} records for ${errors.length} <error> + ${fatalSignals} signals`,
    );
  }
  const detail =
    problems.length > 0
      ? problems.slice(0, 5).join("; ")
      : `${errors.length} <error> -> ${got.leaks.length} leaks + ${got.errors.length - fatal} ` +
        `errors${fatal > 0 ? ` + ${fatal} FatalSignal` : ""}` +
        `${truth !== undefined ? ", stacks match truth.json" : ""}, complete=${got.source.complete}`;
  return { file, ok: problems.length === 0, detail };
}

async function xmlFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const nested = await Promise.all(
    entries.map(async (e) => {
      const path = join(dir, e.name);
      if (e.isDirectory()) return xmlFiles(path);
      return e.name.endsWith(".xml") ? [path] : [];
    }),
  );
  return nested.flat().sort();
}

/**
 * Checks every `.xml` under the corpus (valgrind/, public/ and any held-back folder): each
 * `<error>` must be exactly one record at its line, of its kind, with its leaked bytes and
 * blocks, and, where NAME.truth.json exists, with the truth's function names frame by frame;
 * each `<fatal_signal>` one FatalSignal record, and nothing else.
 */
export const checkValgrindXml: CorpusChecker = async (corpusRoot) => {
  const checks: CorpusCheck[] = [];
  for (const path of await xmlFiles(corpusRoot)) checks.push(await checkOne(corpusRoot, path));
  return checks;
};
