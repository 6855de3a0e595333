const HTML_ENTITIES: Readonly<Record<string, string>> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};

/**
 * Escapes the five HTML metacharacters, for text and quoted attribute values. Shared by the
 * HTML and Markdown reports (GitHub renders HTML inside Markdown).
 */
export function escapeHtmlChars(text: string): string {
  return text.replace(/[&<>"']/g, (c) => HTML_ENTITIES[c] ?? c);
}
