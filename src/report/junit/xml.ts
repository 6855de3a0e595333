/*
 * XML 1.0 output helpers. Log text can hold any byte the program printed: characters XML 1.0
 * forbids (NUL, most C0 controls, lone surrogates, U+FFFE/U+FFFF) make the whole file unreadable
 * for Jenkins and GitLab, so they are removed, as vitest's JUnit reporter does; DEL and the C1
 * controls, which XML 1.0 §2.2 asks documents to avoid, go too.
 */
const NOT_XML = /[^\t\n\r\u0020-\u007e\u00a0-\ud7ff\ue000-\ufffd\u{10000}-\u{10ffff}]/gu;

const TEXT_ENTITIES: Readonly<Record<string, string>> = {
  "&": "&amp;",
  "<": "&lt;",
  // Always escaped, so that `]]>` (which text content may not contain) cannot appear.
  ">": "&gt;",
  // A literal CR would be normalized to LF by every parser.
  "\r": "&#13;",
};

const ATTRIBUTE_ENTITIES: Readonly<Record<string, string>> = {
  ...TEXT_ENTITIES,
  '"': "&quot;",
  "'": "&apos;",
  // Attribute-value normalization turns literal tabs and newlines into spaces.
  "\t": "&#9;",
  "\n": "&#10;",
};

/** Removes the characters XML 1.0 does not allow (or asks to avoid). */
export function xmlSafe(text: string): string {
  return text.replace(NOT_XML, "");
}

/** Escapes text content. */
export function xmlText(text: string): string {
  return xmlSafe(text).replace(/[&<>\r]/g, (c) => TEXT_ENTITIES[c] ?? c);
}

/** Escapes an attribute value (to be written between double quotes). */
export function xmlAttribute(text: string): string {
  return xmlSafe(text).replace(/[&<>"'\t\n\r]/g, (c) => ATTRIBUTE_ENTITIES[c] ?? c);
}

/** `<name a="1" b="x">`: attributes escaped, undefined ones left out, in the order given. */
export function openTag(
  name: string,
  attributes: Readonly<Record<string, string | number | undefined>>,
  selfClosing = false,
): string {
  const attrs = Object.entries(attributes)
    .filter((entry): entry is [string, string | number] => entry[1] !== undefined)
    .map(([key, value]) => ` ${key}="${xmlAttribute(String(value))}"`)
    .join("");
  return `<${name}${attrs}${selfClosing ? "/>" : ">"}`;
}
