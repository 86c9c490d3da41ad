// HCL formatting with HashiCorp's own formatter (hclwrite, compiled to WebAssembly in
// @cdktf/hcl-tools), so inserted text is aligned the way `terraform fmt` aligns it.
//
// The package only exports an async `format`, but the Go function behind it answers through a
// callback that it calls before returning. Once the module is loaded, formatHcl calls that
// function directly, which keeps the patch engine synchronous; it checks that the answer really
// came synchronously and fails loudly otherwise (a future release of the package could change it).

type GoFormat = (text: string, done: (error: unknown, output?: unknown) => void) => void;

let goFormat: GoFormat | null = null;
let preparing: Promise<void> | undefined;
const cache = new Map<string, string>();
const CACHE_LIMIT = 20_000;

/** Loads the formatter (about 0.3 s, once per process). Call before buildPatchSet. */
export function prepareHclFormatter(): Promise<void> {
  preparing ??= (async () => {
    const tools = await import('@cdktf/hcl-tools');
    // The first call waits for the WebAssembly module to start and registers the Go function.
    await tools.format('');
    const registry = (globalThis as { __hcl_helpers_config_wasm__?: Record<string, unknown> }).__hcl_helpers_config_wasm__;
    const fn = registry?.format;
    if (typeof fn !== 'function') throw new Error('@cdktf/hcl-tools did not register its format function');
    goFormat = fn as GoFormat;
    formatHcl('a = 1\n');
  })();
  return preparing;
}

export function isHclFormatterReady(): boolean {
  return goFormat !== null;
}

/** `terraform fmt` of a piece of HCL: whitespace only, never the line structure. */
export function formatHcl(text: string): string {
  const cached = cache.get(text);
  if (cached !== undefined) return cached;
  if (goFormat === null) throw new Error('formatHcl was called before prepareHclFormatter() finished');
  let answered = false;
  let output: string | undefined;
  let failure: unknown;
  goFormat(text, (error, result) => {
    answered = true;
    if (error) failure = error;
    else output = typeof result === 'string' ? result : undefined;
  });
  if (!answered) throw new Error('the HCL formatter did not answer synchronously; @cdktf/hcl-tools may have changed');
  if (failure !== undefined || output === undefined) throw new Error('the HCL formatter could not format the text');
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(text, output);
  return output;
}
