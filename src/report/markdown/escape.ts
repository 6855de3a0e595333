/*
 * Escaping for GitHub-flavoured Markdown, where every string from a log is hostile: it may hold
 * HTML (`<script>`, `<img onerror>`), Markdown (`*`, `_`, `[x](y)`, `|` that splits a table
 * cell), backticks, `@mentions` that would notify people, and control characters. Log strings
 * go into code spans (no HTML, no Markdown, no mentions inside) or into <pre> blocks with HTML
 * escaped; leaklog's own words are plain text.
 */
import { escapeHtmlChars } from "../escape-html.js";

/** Longest log string shown; a 64 KiB function name must not eat the comment's budget. */
const MAX_STRING = 300;

/**
 * One line, control characters as `?`, at most MAX_STRING characters. Bidirectional overrides
 * and isolates too: in a pull request comment they reorder a name as read (campaign bqa Q3).
 */
export function tidy(text: string, max = MAX_STRING): string {
  const line = text
    .replace(/\r\n|[\r\n\u2028\u2029]/g, " ")
    .replace(/[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069\ufffe\uffff]/g, "?")
    .replace(/[\uD800-\uDFFF]/gu, "\ufffd");
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}

/**
 * A code span holding `text` literally. The fence is one backtick longer than the longest run of
 * backticks inside (CommonMark §6.1), and padded with spaces when the text starts or ends with a
 * backtick or a space, which the parser strips back off. At most `max` characters of it.
 */
export function code(text: string, max = MAX_STRING): string {
  const content = tidy(text, max);
  if (content === "") return "` `";
  const runs = content.match(/`+/g) ?? [];
  const fence = "`".repeat(Math.max(0, ...runs.map((r) => r.length)) + 1);
  const pad = /^[` ]|[` ]$/.test(content) ? " " : "";
  return `${fence}${pad}${content}${pad}${fence}`;
}

/** Escapes text for HTML (<pre>, <summary>): inside them Markdown is not parsed. */
export function html(text: string): string {
  return escapeHtmlChars(text);
}

/**
 * A table cell: GFM splits rows at `|` before it parses code spans, so pipes are escaped even
 * inside them (GFM spec, example 200).
 */
export function cell(markdown: string): string {
  return markdown.replace(/\|/g, "\\|");
}
