import { existsSync } from "node:fs";
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { parseFile, type ParseResult } from "../../src/api/parse.js";
import type { CorpusCheck, CorpusChecker } from "./types.js";

const KINDS = ["DoubleFree", "WildFree", "NullFree", "Overflow", "Underflow"] as const;
type Kind = (typeof KINDS)[number];

/** Counts of one session, worked out from the log's own lines without leaklog's parser. */
interface Tally {
  unfreed: number;
  bytes: number;
  kinds: Record<Kind, number>;
  /** The `U)nfreed bytes totals` value, when the session printed one. */
  stats?: number;
}

/** Message prefixes of the five kinds, found anywhere in a line (a TRACE can glue on). */
const KIND_TEXT: Readonly<Record<string, Kind>> = {
  "double-free": "DoubleFree",
  "WILD free": "WildFree",
  "NULL free": "NullFree",
  overflow: "Overflow",
  underflow: "Underflow",
};
const KIND_RE = /(double-free|WILD free|NULL free|overflow|underflow): <\d+> /;
const UNFREED_RE = /unfreed: <\d+> .*, (\d+) bytes at /;
const BANNER_RE = /MEMWATCH \d+\.\d+\S* (?:Copyright|Johan Lindh)/;

const newTally = (): Tally => ({
  unfreed: 0,
  bytes: 0,
  kinds: { DoubleFree: 0, WildFree: 0, NullFree: 0, Overflow: 0, Underflow: 0 },
});

/**
 * Sessions start at a banner, or at a `Stopped at` that follows a statistics block (a child
 * or a re-started MEMWATCH writing a second footer, memwatch.md 6.1).
 */
function tally(text: string): Tally[] {
  const sessions: Tally[] = [];
  let current: Tally | undefined;
  let statsSeen = false;
  for (const raw of text.split("\n")) {
    const line = raw.replace(/\r$/, "");
    const stopped = line.startsWith("Stopped at ");
    const orphan =
      current === undefined && (stopped || KIND_RE.test(line) || UNFREED_RE.test(line));
    if (BANNER_RE.test(line) || (stopped && statsSeen) || orphan) {
      current = newTally();
      sessions.push(current);
      statsSeen = false;
    }
    if (current === undefined) continue;
    if (line.startsWith("Memory usage statistics (global)")) statsSeen = true;
    const u = /^ U\)nfreed bytes totals *: (\d+)/.exec(line);
    if (u !== null) current.stats = Number(u[1]);
    const unfreed = UNFREED_RE.exec(line);
    if (unfreed !== null) {
      current.unfreed += 1;
      current.bytes += Number(unfreed[1]);
      // A block written past its guards and never freed is an overflow too (leaks.ts).
      if (line.includes(" [overflowed]")) current.kinds.Overflow += 1;
      if (line.includes(" [underflowed]")) current.kinds.Underflow += 1;
      continue;
    }
    const kind = KIND_RE.exec(line)?.[1];
    if (kind !== undefined) current.kinds[KIND_TEXT[kind] as Kind] += 1;
  }
  return sessions;
}

/** The same counts from a parse, session by session (pid = session ordinal). */
function fromParse(result: ParseResult, pid: number): Tally {
  const t = newTally();
  for (const leak of result.leaks.filter((l) => l.pid === pid)) {
    t.unfreed += 1;
    t.bytes += leak.bytes;
  }
  for (const e of result.errors) {
    if (e.pid === pid && e.kind in t.kinds) t.kinds[e.kind as Kind] += 1;
  }
  const stats = result.summaries.find((s) => s.pid === pid)?.leak?.["definitely-lost"]?.bytes;
  if (stats !== undefined) t.stats = stats;
  return t;
}

const show = (t: Tally): string =>
  `${t.unfreed} unfreed/${t.bytes} B ${KINDS.map((k) => `${k}=${t.kinds[k]}`).join(" ")}` +
  (t.stats !== undefined ? ` U=${t.stats}` : "");

async function checkFile(corpusRoot: string, file: string): Promise<CorpusCheck> {
  const path = join(corpusRoot, file);
  const text = await readFile(path, "utf8");
  const result = await parseFile(path, { path: file });
  const expected = tally(text);
  if (text.trim() === "") {
    const ok = result.fatal?.code === "empty-input" && !result.source.complete;
    return { file, ok, detail: `empty log: ${result.fatal?.code ?? "no fatal"}, incomplete` };
  }
  if (result.source.format !== "memwatch") {
    return { file, ok: false, detail: `detected as ${result.source.format}` };
  }
  const problems: string[] = [];
  if (result.source.processes.length !== expected.length) {
    problems.push(
      `${result.source.processes.length} sessions parsed, ${expected.length} in the log`,
    );
  }
  expected.forEach((want, i) => {
    const got = show(fromParse(result, i + 1));
    if (got !== show(want)) problems.push(`session ${i + 1}: log ${show(want)}, parsed ${got}`);
  });
  const totals = expected.reduce((sum, t) => sum + t.unfreed, 0);
  const detail =
    problems.length > 0
      ? problems.slice(0, 5).join("; ")
      : `${expected.length} sessions agree (${totals} unfreed, five kinds, U totals); ` +
        `complete=${result.source.complete}`;
  return { file, ok: problems.length === 0, detail };
}

/**
 * Walks <corpusRoot>/memwatch and the public MEMWATCH logs; for every session, the number and
 * bytes of `unfreed` records, the five error kinds and the U)nfreed total must equal a plain
 * count of the log's own lines.
 */
export const checkMemwatch: CorpusChecker = async (corpusRoot) => {
  const files: string[] = [];
  for (const [dir, pick] of [
    ["memwatch", (n: string) => n.endsWith(".log")],
    ["public", (n: string) => n.endsWith(".log") && n.includes("memwatch")],
  ] as const) {
    if (!existsSync(join(corpusRoot, dir))) continue;
    const names = (await readdir(join(corpusRoot, dir))).filter(pick).sort();
    files.push(...names.map((n) => `${dir}/${n}`));
  }
  const checks: CorpusCheck[] = [];
  for (const file of files) checks.push(await checkFile(corpusRoot, file));
  return checks;
};
