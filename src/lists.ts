/**
 * Appends `items` to `list` one at a time. `list.push(...items)` passes every item as an
 * argument, and V8 throws "Maximum call stack size exceeded" from about 125,000 of them: a
 * glob of that many logs, a report of that many processes, or a sanitizer report of 200,000
 * description lines (found by a stress test: its record was lost). Any list that grows with
 * the input is appended with this.
 */
export function appendAll<T>(list: T[], items: Iterable<T>): void {
  for (const item of items) list.push(item);
}

/** Adds `item` to the list `map` holds at `key`, in place: a list copied per item grew as its square. */
export function pushTo<K, T>(map: Map<K, T[]>, key: K, item: T): void {
  const list = map.get(key);
  if (list === undefined) map.set(key, [item]);
  else list.push(item);
}
