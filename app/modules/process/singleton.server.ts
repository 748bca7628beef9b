/**
 * One value per process, made on first use — and kept when development's
 * hot reload evaluates the module again (the value lives on `globalThis`,
 * which survives; the Epic Stack's helper). A promise that rejects is
 * forgotten, so the next use tries again.
 */
const registry = ((globalThis as unknown as { __djangoQuestionsSingletons?: Map<string, unknown> }).__djangoQuestionsSingletons ??= new Map());

export function singleton<T>(name: string, make: () => T): T {
  if (!registry.has(name)) {
    const value = make();
    registry.set(name, value);
    if (value instanceof Promise) {
      value.catch(() => {
        if (registry.get(name) === value) registry.delete(name);
      });
    }
  }
  return registry.get(name) as T;
}
