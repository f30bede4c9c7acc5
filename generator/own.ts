/**
 * Sets `key` on `target` as a plain own data property. Plain assignment would turn a key named
 * `__proto__` (which documentation samples and schemas may hold) into a prototype change.
 */
export function setOwn(target: object, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

/** Appends `value` to the list of `key` in `map` (in place: building groups stays linear). */
export function pushTo<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
