// Per distinct function name: the same few come back for every finding and every entry. Cleared
// when full, to bound a long-lived process (a library user's server).
const NAME_CACHE_LIMIT = 20_000;

/** `make(name)`, made once per name while the cache has room (see NAME_CACHE_LIMIT). */
export function cached<T>(cache: Map<string, T>, name: string, make: (name: string) => T): T {
  if (cache.has(name)) return cache.get(name) as T;
  if (cache.size >= NAME_CACHE_LIMIT) cache.clear();
  const value = make(name);
  cache.set(name, value);
  return value;
}
