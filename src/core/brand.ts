/**
 * Symbol.for-based type brands (internal): how the library recognizes its own value objects and constructs across copies
 * of itself (two versions in one node_modules) and in plain-JavaScript input, where `instanceof` fails or lies.
 */
export function brand(target: object, name: string): void {
  Object.defineProperty(target, Symbol.for(`cdk-operable.${name}`), { value: true, enumerable: false });
}

/** Whether `x` carries the brand `name`. */
export function hasBrand(x: unknown, name: string): boolean {
  return x !== null && (typeof x === 'object' || typeof x === 'function') && Symbol.for(`cdk-operable.${name}`) in (x as object);
}
