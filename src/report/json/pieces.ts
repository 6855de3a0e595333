import { randomUUID } from "node:crypto";
/**
 * `JSON.stringify(value, null, 2)`, produced piece by piece: the top-level arrays (records,
 * groups, summaries) a batch of elements at a time. Byte for byte the same text, without ever
 * holding it whole: on a large report the single string (and the Buffer made to write it) was
 * the peak of the run's memory.
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
      for (let start = 0; start < item.length; start += BATCH) {
        const comma = start + BATCH < item.length ? ",\n" : "\n";
        const batch = item.slice(start, start + BATCH);
        const longKeys = batch.map(longArrayKey);
        if (longKeys.every((key) => key === undefined)) yield `${elementsText(batch)}${comma}`;
        else {
          yield* longElementPieces(batch, longKeys);
          yield comma;
        }
      }
      yield `  ]${separator}`;
    } else {
      yield `  ${JSON.stringify(key)}: ${indent(JSON.stringify(item, null, 2), "  ")}${separator}`;
    }
  }
  yield "}";
}

/**
 * Elements per piece: up to about 30 KB of text for groups. Measured writing the 105 MB bench
 * log's report to /dev/null: 8 took 300 ms against 490 ms one at a time; 32 was no faster and
 * held 10 MiB more, its pieces too large for V8's young generation.
 */
const BATCH = 8;

// `{"x": elements}` pretty-printed puts the elements at exactly the depth the report's
// top-level arrays have, commas included: cutting off this head and tail leaves them.
const HEAD = '{\n  "x": [\n';
const TAIL = "\n  ]\n}";

/**
 * The elements of one top-level array, indented four spaces and comma-separated. Stringified
 * inside a wrapper of the right depth rather than each on its own and re-indented: the
 * re-indenting replaceAll and one stringify call per element were a seventh of summarizing the
 * 105 MB bench log to JSON.
 */
function elementsText(elements: readonly unknown[]): string {
  const text = JSON.stringify({ x: elements }, null, 2);
  return text.slice(HEAD.length, text.length - TAIL.length);
}

/**
 * Elements of an array longer than this inside a top-level array's element are written a batch
 * at a time too: a source lists every process of its log, 42,800 in the 2 GB text bench log,
 * whose one element's text (5 MB, and the Buffer written from it) rose the run's peak memory.
 */
const LONG_ARRAY = 512;

/**
 * The key of a top-level array's element, a plain object, whose array is longer than LONG_ARRAY.
 * Looked for in every record, group and summary of a report: for-in makes no entry arrays.
 */
function longArrayKey(element: unknown): string | undefined {
  if (typeof element !== "object" || element === null || Array.isArray(element)) return undefined;
  if (Object.getPrototypeOf(element) !== Object.prototype) return undefined;
  const fields = element as Record<string, unknown>;
  for (const key in fields) {
    const value = fields[key];
    if (Array.isArray(value) && value.length > LONG_ARRAY) return key;
  }
  return undefined;
}

/**
 * What elementsText gives for `elements`, those with a key in `longKeys` (see longArrayKey) with
 * that array written in pieces.
 */
function* longElementPieces(
  elements: readonly unknown[],
  longKeys: readonly (string | undefined)[],
): Generator<string> {
  for (const [index, element] of elements.entries()) {
    if (index > 0) yield ",\n";
    const key = longKeys[index];
    if (key === undefined) {
      yield elementsText([element]);
      continue;
    }
    const holder = element as Record<string, unknown>;
    const marker = heldOutMarker();
    const text = elementsText([{ ...holder, [key]: marker }]);
    yield* withHeldOutArray(text, marker, holder[key] as unknown[], prettyElement);
  }
}

/** An array element's text as JSON.stringify gives it, where undefined becomes null. */
function prettyElement(element: unknown): string {
  return (JSON.stringify(element, null, 2) as string | undefined) ?? "null";
}

/** What JSON.stringify keeps as an object property (it drops undefined, functions, symbols). */
function isSerialisable(value: unknown): boolean {
  return value !== undefined && typeof value !== "function" && typeof value !== "symbol";
}

function indent(text: string, by: string): string {
  return text.includes("\n") ? text.replaceAll("\n", `\n${by}`) : text;
}

/**
 * A marker to stand for a held-out array (see withHeldOutArray): random, because every other
 * string of a report may come from a log. It never reaches the output, which stays the same from
 * run to run.
 */
export function heldOutMarker(): string {
  return `leaklog-held-out-${randomUUID()}`;
}

/**
 * The text of an object one of whose arrays is held out, in pieces: `text` is the object's text
 * with that array replaced by the string `marker`, and `stringify` the function that made it
 * (`JSON.stringify(v, null, 2)` for the "pretty" layout, `JSON.stringify(v)` for "compact", or
 * one that escapes more). Yields the text the whole object gives, the array's elements a batch
 * at a time: SARIF's results, 70 MB of text for 7,200 groups, were held whole with the Buffer
 * written from them (400 MiB peak), as was the HTML page's data.
 */
export function* withHeldOutArray(
  text: string,
  marker: string,
  items: readonly unknown[],
  stringify: (value: unknown) => string,
  layout: "pretty" | "compact" = "pretty",
): Generator<string> {
  const quoted = JSON.stringify(marker);
  const at = text.indexOf(quoted);
  if (at < 0) throw new Error(`withHeldOutArray: ${quoted} is not in the text`);
  yield text.slice(0, at);
  if (items.length === 0) yield "[]";
  else if (layout === "compact") {
    yield "[";
    for (let start = 0; start < items.length; start += BATCH) {
      const batch = items.slice(start, start + BATCH).map(stringify);
      yield `${start > 0 ? "," : ""}${batch.join(",")}`;
    }
    yield "]";
  } else {
    // The indent of the marker's line (`      "results": "marker",`): the array's closing one.
    const line = text.slice(text.lastIndexOf("\n", at) + 1, at);
    const pad = line.slice(0, line.length - line.trimStart().length);
    const inner = `${pad}  `;
    yield "[\n";
    for (let start = 0; start < items.length; start += BATCH) {
      const batch = items
        .slice(start, start + BATCH)
        .map((item) => `${inner}${stringify(item).replaceAll("\n", `\n${inner}`)}`);
      yield `${batch.join(",\n")}${start + BATCH < items.length ? ",\n" : "\n"}`;
    }
    yield `${pad}]`;
  }
  yield text.slice(at + quoted.length);
}
