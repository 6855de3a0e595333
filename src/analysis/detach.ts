/**
 * A deep copy of plain JSON data (a record, a stack), made when the summary keeps it for the
 * rest of the run.
 *
 * Why: V8 pretenures an allocation site (allocates its objects straight in old space) once most
 * of its objects survive a young-generation collection, and never changes its mind. While the
 * summary kept the parser's own objects (the first --max-records records, each group's first
 * stack, each member's loss record), the parser's frame, location and loss-record literals were
 * pretenured in the first second, and from then on every frame of the log was born in old space
 * and died there. Profiled on a 105 MB Valgrind log: GC was a quarter of `summarize` and peak
 * RSS 550 MiB. Copies made here come from this function's own sites, which may be pretenured:
 * their objects do live long.
 */
export function detached<T>(value: T): T {
  return copy(value) as T;
}

function copy(value: unknown): unknown {
  if (typeof value !== "object" || value === null) return value;
  if (Array.isArray(value)) {
    const items: unknown[] = [];
    for (const item of value as unknown[]) items.push(copy(item));
    return items;
  }
  const source = value as Record<string, unknown>;
  const object: Record<string, unknown> = {};
  // Own keys in their order: the JSON output must not change.
  for (const key of Object.keys(source)) object[key] = copy(source[key]);
  return object;
}
