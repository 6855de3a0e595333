/**
 * Escaping for the two places log text reaches the page: HTML text and attributes, written by
 * the template, and the JSON data block the page's script reads. Logs carry hostile bytes
 * (`<script>` in a function name was a real Jenkins Valgrind plugin advisory), so everything the
 * reporter did not write itself goes through one of these.
 */
import { escapeHtmlChars } from "../escape-html.js";
import { heldOutMarker, withHeldOutArray } from "../json/pieces.js";

// C0 and C1 controls (but tab, LF, CR) are HTML parse errors and invisible; show them as U+FFFD.
// So are bidirectional overrides and isolates, which reorder a name as it is read.
const CONTROLS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

/** Escapes text for HTML text content and double- or single-quoted attribute values. */
export function escapeHtml(text: string): string {
  return escapeHtmlChars(text.replace(CONTROLS, "\ufffd"));
}

/**
 * Serialises a value for a `<script type="application/json">` block. `<`, `>` and `&` become
 * JSON `\u` escapes so that neither `</script>` nor `<!--` can end or change the block, and
 * U+2028/U+2029 are escaped because older JavaScript parsers treat them as line breaks.
 * `JSON.parse` of the block's text gives the value back unchanged.
 */
export function embedJson(value: unknown): string {
  return JSON.stringify(value).replace(/[<>&\u2028\u2029]/g, unicodeEscape);
}

/**
 * `embedJson(data)` in pieces, its groups (a few KB each) a batch at a time: the same text,
 * since an array's JSON is its elements' JSON between brackets and commas, and the escapes are
 * per character.
 */
export function embedJsonPieces(data: { groups: readonly unknown[] }): Iterable<string> {
  const marker = heldOutMarker();
  const text = embedJson({ ...data, groups: marker });
  return withHeldOutArray(text, marker, data.groups, embedJson, "compact");
}

function unicodeEscape(c: string): string {
  return `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`;
}
