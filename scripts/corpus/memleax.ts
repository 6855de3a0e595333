import { existsSync } from "node:fs";
import { readdir, readFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseFile, type ParseResult } from "../../src/api/parse.js";
import type { CorpusCheck, CorpusChecker } from "./types.js";

/** One call stack's expected may-leak; `bytes` undefined when the log cannot tell it. */
interface Expected {
  callStack: number;
  blocks: number;
  bytes?: number;
}

/** What a memleax log must parse to, worked out from its text without leaklog's parser. */
interface Oracle {
  leaks: Expected[];
  complete: boolean;
  /** No monitoring run: an error, help or version output. */
  noRun: boolean;
  how: string;
}

const u32 = (n: number): number => (n < 0 ? n + 2 ** 32 : n);

/** The final report's may-leak lines are the truth when printed (formats/memleax.md §2.6). */
function fromReport(text: string): Expected[] {
  const re = /^CallStack\[(\d+)\]: may-leak=(-?\d+) \((-?\d+) bytes\)$/gm;
  return [...text.matchAll(re)]
    .map((m) => ({ callStack: Number(m[1]), blocks: u32(Number(m[2])), bytes: u32(Number(m[3])) }))
    .filter((e) => e.blocks > 0);
}

/** Without a report: expiries (K of `K times again`) minus frees after expiry, per stack. */
function fromStream(text: string): Expected[] {
  const stacks = new Map<number, { expired: number; bytes: number; frees: number }>();
  const get = (id: number) => {
    const s = stacks.get(id) ?? { expired: 0, bytes: 0, frees: 0 };
    stacks.set(id, s);
    return s;
  };
  const expiry =
    /^CallStack\[(\d+)\]: memory expires with (-?\d+) bytes, (?:(\d+) times again|backtrace:)$/gm;
  for (const m of text.matchAll(expiry)) {
    const s = get(Number(m[1]));
    s.expired = Math.max(s.expired + 1, Number(m[3] ?? 1));
    s.bytes += Number(m[2]);
  }
  for (const m of text.matchAll(/^CallStack\[(\d+)\]: expired-memory frees after/gm)) {
    get(Number(m[1])).frees += 1;
  }
  return [...stacks.entries()]
    .map(([callStack, s]) => ({
      callStack,
      blocks: s.expired - s.frees,
      ...(s.frees === 0 ? { bytes: s.bytes } : {}),
    }))
    .filter((e) => e.blocks > 0);
}

function oracle(raw: string): Oracle {
  const text = raw.replace(/\r$/gm, "");
  if (/^== Callstack statistics: /m.test(text)) {
    return { leaks: fromReport(text), complete: true, noRun: false, how: "final report" };
  }
  if (/^== No expired memory blocks\.$/m.test(text)) {
    return { leaks: [], complete: true, noRun: false, how: "no expired blocks" };
  }
  if (/^== Your monitoring time is too short\./m.test(text)) {
    return { leaks: [], complete: false, noRun: false, how: "monitoring too short" };
  }
  if (/^(== Begin monitoring process \d+|CallStack\[\d+\]: memory expires)/m.test(text)) {
    return { leaks: fromStream(text), complete: false, noRun: false, how: "event stream" };
  }
  return { leaks: [], complete: false, noRun: true, how: "no monitoring run" };
}

function compare(file: string, want: Oracle, got: ParseResult): CorpusCheck {
  const problems: string[] = [];
  // memleax that monitored nothing checked nothing: unusable, as a Valgrind that ran no program.
  if (want.noRun && got.fatal === undefined) problems.push("usable without a monitoring run");
  if (!want.noRun && got.fatal !== undefined) problems.push(`fatal ${got.fatal.code}`);
  if (got.source.format !== "memleax") problems.push(`detected as ${got.source.format}`);
  if (got.source.complete !== want.complete) problems.push(`complete=${got.source.complete}`);
  const leaks = got.leaks.map((l) => ({
    id: l.details?.["callStack"],
    blocks: l.blocks,
    bytes: l.bytes,
  }));
  const sorted = <T extends { blocks: number }>(xs: T[], id: (x: T) => unknown) =>
    [...xs].sort((a, b) => Number(id(a)) - Number(id(b)));
  const a = sorted(leaks, (l) => l.id);
  const b = sorted(want.leaks, (e) => e.callStack);
  if (a.length !== b.length) problems.push(`${a.length} records, expected ${b.length}`);
  b.forEach((e, i) => {
    const l = a[i];
    if (l === undefined) return;
    const bytesOk = e.bytes === undefined || e.bytes === l.bytes;
    if (l.id !== e.callStack || l.blocks !== e.blocks || !bytesOk) {
      problems.push(
        `CallStack[${String(l.id)}] ${l.blocks}/${l.bytes}, expected [${e.callStack}] ${e.blocks}/${e.bytes ?? "?"}`,
      );
    }
  });
  const unknown = got.source.counters.unrecognizedLines;
  const blocks = a.reduce((s, l) => s + l.blocks, 0);
  const bytes = a.reduce((s, l) => s + l.bytes, 0);
  const detail =
    problems.length > 0
      ? problems.join("; ")
      : `${a.length} record(s) = ${want.how} (${blocks} blocks, ${bytes} bytes), complete=${got.source.complete}, ${unknown} unrecognized line(s)`;
  return { file, ok: problems.length === 0, detail };
}

/** The checked-in expectations of test/fixtures/memleax/truth.json, when the repository has them. */
async function fixtureTruth(): Promise<Record<string, { leaks: Expected[] }>> {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6 && !existsSync(join(dir, "package.json")); i += 1) dir = dirname(dir);
  const file = join(dir, "test", "fixtures", "memleax", "truth.json");
  if (!existsSync(file)) return {};
  return JSON.parse(await readFile(file, "utf8")) as Record<string, { leaks: Expected[] }>;
}

async function checkOne(corpusRoot: string, rel: string, truth?: { leaks: Expected[] }) {
  const path = join(corpusRoot, rel);
  const want = oracle(await readFile(path, "utf8"));
  const got = await parseFile(path, { path: rel });
  const check = compare(rel, want, got);
  if (truth === undefined || !check.ok) return check;
  const same =
    JSON.stringify(truth.leaks.map((t) => [t.callStack, t.blocks, t.bytes])) ===
    JSON.stringify(got.leaks.map((l) => [l.details?.["callStack"], l.blocks, l.bytes]));
  return same
    ? { ...check, detail: `${check.detail}; matches its NAME.md truth` }
    : { ...check, ok: false, detail: "records differ from test/fixtures/memleax/truth.json" };
}

/**
 * Checks every memleax capture of the corpus (corpus/memleax/*.log, held-back cases included)
 * and the public excerpt: the records must match what the log's own text says (the final
 * report's may-leak lines, else expiries minus frees), and the known samples their written truth.
 */
export const checkMemleax: CorpusChecker = async (corpusRoot) => {
  const truth = await fixtureTruth();
  const checks: CorpusCheck[] = [];
  const dir = join(corpusRoot, "memleax");
  const logs = existsSync(dir) ? (await readdir(dir)).filter((n) => n.endsWith(".log")).sort() : [];
  for (const name of logs) {
    checks.push(await checkOne(corpusRoot, `memleax/${name}`, truth[name.replace(/\.log$/, "")]));
  }
  const pub = join(corpusRoot, "public");
  const excerpts = existsSync(pub)
    ? (await readdir(pub)).filter((n) => /memleax/i.test(n)).sort()
    : [];
  for (const name of excerpts) checks.push(await checkOne(corpusRoot, `public/${name}`));
  return checks;
};
