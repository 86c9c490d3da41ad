import { configDefaults, defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // The scale-out test starts the web process and workers for real (a minute and a half here):
    // `npm run test:scale-out`, which CI runs after `npm test`.
    exclude: [...configDefaults.exclude, ...(process.env.DRIFTWATCH_SCALE_OUT_TEST ? [] : ['test/scale-out/**'])],
    setupFiles: ['test/setup.ts'],
    testTimeout: 20_000,
    hookTimeout: 20_000,
    pool: 'forks',
    // The SDK's notice that its 2027 releases need Node 22 (the CLI silences it too): the pinned
    // SDK runs on Node 20, and the notice would repeat in every test file's output.
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
  },
});
