/**
 * `JSON.stringify(value, null, 2)`, produced piece by piece: the top-level arrays (records,
 * groups, summaries) element by element. Byte for byte the same text, without ever holding it
 * whole: on a large report the single string (and the Buffer made to write it) was the peak of
 * the run's memory.
 */
export function* prettyJsonPieces(value: Record<string, unknown>): Generator<string> {
  const entries = Object.entries(value).filter(([, v]) => isSerialisable(v));
  if (entries.length === 0) {
    yield "{}";
    return;
  }
  yield "{\n";
  for (const [index, [key, item]] of entries.entries()) {
    const separator = index < entries.length - 1 ? ",\n" : "\n";
    if (Array.isArray(item) && item.length > 0) {
      yield `  ${JSON.stringify(key)}: [\n`;
      for (const [i, element] of item.entries()) {
        const comma = i < item.length - 1 ? ",\n" : "\n";
        yield `    ${indent(JSON.stringify(element ?? null, null, 2), "    ")}${comma}`;
      }
      yield `  ]${separator}`;
    } else {
      yield `  ${JSON.stringify(key)}: ${indent(JSON.stringify(item, null, 2), "  ")}${separator}`;
    }
  }
  yield "}";
}

/** What JSON.stringify keeps as an object property (it drops undefined, functions, symbols). */
function isSerialisable(value: unknown): boolean {
  return value !== undefined && typeof value !== "function" && typeof value !== "symbol";
}

function indent(text: string, by: string): string {
  return text.includes("\n") ? text.replaceAll("\n", `\n${by}`) : text;
}
