import { readFileSync } from "node:fs";
import { join } from "node:path";
import { ROOT } from "./golden.js";

/** The README as users read it; the readme tests hold its hand-written parts to the code. */
export const README = readFileSync(join(ROOT, "README.md"), "utf8");

/**
 * The text under a `## title` or `### title` heading, up to the next heading of its level or
 * above. Throws when the heading is gone, so that a renamed section fails loudly instead of
 * checking nothing.
 */
export function section(title: string): string {
  const lines = README.split("\n");
  const start = lines.findIndex((l) => /^#{2,3} /.test(l) && l.replace(/^#+ /, "") === title);
  if (start < 0) throw new Error(`README has no section "${title}"`);
  const level = /^#+/.exec(lines[start] as string)?.[0].length ?? 2;
  const end = lines.findIndex((l, i) => i > start && new RegExp(`^#{1,${level}} `).test(l));
  return lines.slice(start + 1, end < 0 ? undefined : end).join("\n");
}

/** The rows of the first Markdown table after `header` in `text`, split into trimmed cells. */
export function tableRows(text: string, header: string): string[][] {
  const lines = text.split("\n");
  const start = lines.findIndex((l) => l.startsWith(header));
  if (start < 0) throw new Error(`README has no table headed "${header}"`);
  const rows: string[][] = [];
  for (const line of lines.slice(start + 2)) {
    if (!line.startsWith("|")) break;
    rows.push(
      line
        .split(/(?<!\\)\|/)
        .slice(1, -1)
        .map((cell) => cell.trim()),
    );
  }
  return rows;
}

/** The text inside `...` spans, one string per span. */
export function codeSpans(text: string): string[] {
  return [...text.matchAll(/`([^`]+)`/g)].map((m) => m[1] as string);
}

/**
 * Long options spelled in `text` (`--fail-on`, `--xml=yes` gives `xml`), without the dashes; a
 * family written `--fingerprint-*` comes back as `fingerprint-*`.
 */
export function spelledOptions(text: string): Set<string> {
  return new Set(
    [...text.matchAll(/(?<![\w-])--([a-z][a-z0-9]*(?:-[a-z0-9]+)*(?:-\*)?)/g)].map(
      (m) => m[1] as string,
    ),
  );
}
