// Runs a task once activity on a key has been quiet for a delay (typing re-lints ~150 ms after
// the last keystroke, not on every one).

export class Debouncer<K> {
  private readonly timers = new Map<K, NodeJS.Timeout>();

  constructor(private readonly delayMs: number) {}

  schedule(key: K, task: () => void, delayMs = this.delayMs): void {
    this.cancel(key);
    this.timers.set(
      key,
      setTimeout(() => {
        this.timers.delete(key);
        task();
      }, delayMs),
    );
  }

  cancel(key: K): void {
    const timer = this.timers.get(key);
    if (timer !== undefined) clearTimeout(timer);
    this.timers.delete(key);
  }

  cancelAll(): void {
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
  }
}
