/** The provider a client's class names: the client's own class or any class it extends. */
export function providerByClass(
  client: object,
  classes: readonly (readonly [className: string, provider: string])[],
): string | undefined {
  for (
    let proto = Object.getPrototypeOf(client);
    proto && proto !== Object.prototype;
    proto = Object.getPrototypeOf(proto)
  ) {
    const name = (proto as { constructor?: { name?: unknown } }).constructor?.name;
    const known = classes.find(([className]) => className === name);
    if (known) return known[1];
  }
  return undefined;
}
