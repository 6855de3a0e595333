import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { crossCheckLeaks } from "../../src/analysis/cross-check.js";
import { parseFile } from "../../src/api/parse.js";
import type { ToolSummary } from "../../src/model/index.js";
import type { CorpusCheck, CorpusChecker } from "./types.js";

const WORDS = [
  "definitely lost",
  "indirectly lost",
  "possibly lost",
  "still reachable",
  "suppressed",
] as const;

/**
 * Valgrind text logs: every log parses, listed kinds add up to each LEAK SUMMARY, and for the
 * public logs the parsed summaries equal the summary lines SOURCES.md copied from each file.
 */
export const checkValgrindText: CorpusChecker = async (root) => {
  const checks: CorpusCheck[] = [];
  const expected = publicSummaries(join(root, "public", "SOURCES.md"));
  const files = [
    ...list(join(root, "valgrind"), ".txt").map((f) => `valgrind/${f}`),
    ...list(join(root, "public"), ".txt")
      .filter((f) => f.includes("valgrind"))
      .map((f) => `public/${f}`),
  ];
  for (const file of files) checks.push(await checkOne(root, file, expected));
  return checks;
};

async function checkOne(
  root: string,
  file: string,
  expected: Map<string, string[]>,
): Promise<CorpusCheck> {
  const result = await parseFile(join(root, file), { path: file });
  if (result.fatal !== undefined) return { file, ok: false, detail: result.fatal.message };
  const problems = crossCheckLeaks(result.leaks, result.summaries).filter(
    (d) => d.severity !== "info",
  );
  const facts = `${result.leaks.length} leaks, ${result.errors.length} errors, ${result.summaries.length} summaries, ${result.source.counters.unrecognizedLines} unrecognized lines${result.source.complete ? "" : ", incomplete"}`;
  if (problems.length > 0)
    return { file, ok: false, detail: `${facts}; ${problems.map((p) => p.message).join("; ")}` };
  const number = /^public\/(\d+)-/.exec(file)?.[1];
  const want = number !== undefined ? expected.get(number) : undefined;
  if (want !== undefined) {
    const got = result.summaries.filter((s) => s.leak !== undefined).map(describeLeak);
    const missing = want.filter((line) => !got.includes(line));
    if (missing.length > 0)
      return {
        file,
        ok: false,
        detail: `${facts}; SOURCES.md summary not parsed: ${missing.join(" | ")}`,
      };
    return {
      file,
      ok: true,
      detail: `${facts}; ${want.length} LEAK SUMMARY lines equal SOURCES.md`,
    };
  }
  return { file, ok: true, detail: `${facts}; records add up to every LEAK SUMMARY` };
}

function describeLeak(summary: ToolSummary): string {
  return WORDS.map((w) => {
    const amount =
      summary.leak?.[
        w === "suppressed" ? "suppressed" : (w.replace(" ", "-") as "definitely-lost")
      ];
    return `${w}: ${amount?.bytes ?? "?"}/${amount?.blocks ?? "?"}`;
  }).join(", ");
}

/** `- 10: definitely lost: 1,728 bytes in 12 blocks / indirectly lost: ...` per public log. */
function publicSummaries(sourcesMd: string): Map<string, string[]> {
  const map = new Map<string, string[]>();
  if (!existsSync(sourcesMd)) return map;
  for (const line of readFileSync(sourcesMd, "utf8").split("\n")) {
    const m = /^- (\d+)(?: \([^)]*\))?: (.*)$/.exec(line);
    if (m === null || !m[2]?.includes("definitely lost:")) continue;
    const sets = (m[2] ?? "")
      .split(/\[\d+(?: parent)?\]/)
      .filter((s) => s.includes("definitely lost"));
    map.set(
      m[1] as string,
      sets.map(summaryOf).filter((s) => s !== undefined),
    );
  }
  return map;
}

function summaryOf(text: string): string | undefined {
  const parts = WORDS.map((w) => {
    const m = new RegExp(`${w}: ([\\d,]+)(?: bytes in ([\\d,]+) blocks)?`).exec(text);
    if (m === null) return undefined;
    return `${w}: ${Number((m[1] as string).replaceAll(",", ""))}/${m[2] !== undefined ? Number(m[2].replaceAll(",", "")) : 0}`;
  });
  return parts.includes(undefined) ? undefined : parts.join(", ");
}

function list(dir: string, ext: string): string[] {
  return existsSync(dir)
    ? readdirSync(dir)
        .filter((f) => f.endsWith(ext))
        .sort()
    : [];
}
