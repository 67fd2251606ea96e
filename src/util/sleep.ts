// Waits: the one sleep helper for the polling loops (teardown, process trees).

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
