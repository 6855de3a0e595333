/**
 * Markdown outside code spans and <pre> blocks: where a raw `<` or `@` would be live. A <pre>
 * block holding a raw `<` becomes `<RAW`, so that a check for live tags catches it.
 */
export function liveMarkdown(text: string): string {
  return text
    .replace(/<pre>([\s\S]*?)<\/pre>/g, (_m, inner: string) => (inner.includes("<") ? "<RAW" : ""))
    .replace(/(?<!`)(`+)(?!`)([\s\S]*?[^`])\1(?!`)/g, "");
}
