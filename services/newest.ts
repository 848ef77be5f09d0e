// A Map used as a bounded cache: insertion order is age, so the oldest entry goes first.

/** Sets `key` as the newest entry of `map`, dropping the oldest past `max`. */
export function setNewest<K, V>(map: Map<K, V>, key: K, value: V, max: number): void {
  map.delete(key);
  map.set(key, value);
  if (map.size > max) map.delete(map.keys().next().value as K);
}
