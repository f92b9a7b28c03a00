/**
 * Installs `Promise.withResolvers` (ES2024, Node 22+) when the runtime lacks it: aws-local-stepfunctions calls
 * it on every Task state, and the local host still supports Node 20. Idempotent; never replaces a native one.
 */
export function ensurePromiseWithResolvers(): void {
  const ctor = Promise as PromiseConstructor & { withResolvers?: unknown };
  if (typeof ctor.withResolvers === 'function') return;
  Object.defineProperty(Promise, 'withResolvers', {
    configurable: true,
    writable: true,
    value: function withResolvers<T>(this: PromiseConstructor) {
      let resolve!: (value: T | PromiseLike<T>) => void;
      let reject!: (reason?: unknown) => void;
      const promise = new this<T>((res, rej) => {
        resolve = res;
        reject = rej;
      });
      return { promise, resolve, reject };
    },
  });
}
