// Polling helper shared by the extension-host suites: VS Code updates diagnostics, lenses and tabs
// asynchronously, so tests wait for a condition instead of sleeping.

/** Resolves with the first truthy value `probe` returns; rejects after `ms`. */
export async function until<T>(
  what: string,
  probe: () => T | undefined | false | Promise<T | undefined | false>,
  ms = 20_000,
): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > end) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
