import { createHash } from "node:crypto";
import { CLIENT_SCRIPT } from "./client.js";
import type { PageData } from "./data.js";
import { embedJsonPieces, escapeHtml as esc } from "./escape.js";
import { STYLES } from "./styles.js";

/** The parts of the page the reporter fills in; every string in them is already escaped HTML. */
export interface PageParts {
  title: string;
  header: string;
  totals: string;
  gate: string;
  sources: string;
  diagnostics: string;
  hasBaseline: boolean;
  /** The page data, serialised with `embedJsonPieces` here. */
  data: PageData;
}

/** `sha256-<base64>` of a script or style element's text, the form CSP hash sources take. */
export function cspHash(text: string): string {
  return `'sha256-${createHash("sha256").update(text, "utf8").digest("base64")}'`;
}

/**
 * The Content-Security-Policy: nothing may load (`default-src 'none'`), and only our own static
 * script and stylesheet, named by hash, may run or apply. Should an escaping bug ever let log
 * text become markup, it could neither run a script, load an image nor send a request. Trusted
 * Types make any string-to-HTML sink throw, so even our own script cannot use innerHTML.
 */
export function contentSecurityPolicy(): string {
  return [
    "default-src 'none'",
    `script-src ${cspHash(CLIENT_SCRIPT)}`,
    `style-src ${cspHash(STYLES)}`,
    "img-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "require-trusted-types-for 'script'",
    "trusted-types 'none'",
  ].join("; ");
}

/** Where the page data goes: the page is written before and after it. */
const DATA_SLOT = '<script type="application/json" id="leaklog-data">';

/**
 * The complete, self-contained page, in pieces: the page data's groups (a few KB each, 18 MB
 * for the 7,200 groups of the bench logs) are written a batch at a time, so the page is never
 * held whole (see embedJsonPieces).
 */
export function* pagePieces(parts: PageParts): Generator<string> {
  const text = pageText(parts);
  const at = text.indexOf(DATA_SLOT) + DATA_SLOT.length;
  yield text.slice(0, at);
  yield* embedJsonPieces(parts.data);
  yield text.slice(at);
}

/** The page around an empty data block (filled by pagePieces). */
function pageText(parts: PageParts): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${esc(contentSecurityPolicy())}">
<meta name="referrer" content="no-referrer">
<meta name="color-scheme" content="light dark">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(parts.title)}</title>
<style>${STYLES}</style>
</head>
<body>
<header>${parts.header}</header>
<main>
${parts.gate}
${parts.totals}
${groupsSection(parts.hasBaseline)}
${parts.sources}
${parts.diagnostics}
</main>
${DATA_SLOT}</script>
<script>${CLIENT_SCRIPT}</script>
</body>
</html>
`;
}

/** The table's static frame; the script fills the rows and the kind filter's options. */
function groupsSection(hasBaseline: boolean): string {
  const column = (key: string, label: string, numeric = false): string =>
    `<th scope="col" data-key="${key}" aria-sort="none"${numeric ? ' class="num"' : ""}><button type="button">${label}</button></th>`;
  const baselineFilter = hasBaseline
    ? '<label>baseline<select id="filter-baseline"><option value="">all</option><option value="new">new</option><option value="unchanged">unchanged</option><option value="fixed">fixed</option></select></label>'
    : "";
  return `<section id="groups" aria-labelledby="groups-h"><h2 id="groups-h">Groups</h2>
<div class="filters" role="search">
<label>kind<select id="filter-kind"><option value="">all</option></select></label>
<label>severity<select id="filter-severity"><option value="">all</option><option value="error">error</option><option value="warning">warning</option><option value="note">note</option><option value="none">none (suppressed)</option></select></label>
${baselineFilter}<label>function or file<input type="search" id="filter-text" placeholder="e.g. main or parser.c" autocomplete="off"></label>
</div>
<noscript><p>The groups table needs JavaScript; the JSON report (<code>--format json</code>) has the same data.</p></noscript>
<table id="groups-table"><thead><tr>${column("severity", "severity")}${column("kind", "kind")}${column("bytes", "bytes", true)}${column("blocks", "blocks", true)}${column("occurrences", "occurrences", true)}${column("processes", "processes", true)}${column("location", "first own-code location")}${hasBaseline ? column("baseline", "baseline") : ""}</tr></thead>
<tbody id="groups-body"></tbody></table>
<div class="pager"><button type="button" id="page-prev">Previous</button><button type="button" id="page-next">Next</button><span id="groups-status" role="status" aria-live="polite"></span></div>
</section>`;
}
