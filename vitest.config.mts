import { defineConfig } from 'vitest/config'

// test/mail/** talks to the real Postfix + Dovecot that scripts/mailservers.sh runs on loopback. Those
// files share the servers (one of them stops Postfix on purpose), so they run one at a time, after the
// unit tests, which run in parallel.
const mail = ['test/mail/**/*.test.ts']

export default defineConfig({
  test: {
    environment: 'node',
    pool: 'forks',
    testTimeout: 30_000,
    // Per-test and per-file cleanups of the shared test modules (test/support/afterTest.ts): a setup file runs
    // for every file, where a hook at a shared module's top level ran only for the first file of a worker.
    setupFiles: ['test/setup.ts'],
    // beforeAll(ensureMailServers) may have to start (first time: apt-install) Postfix + Dovecot
    hookTimeout: 120_000,
    projects: [
      // isolate: false: each fork loads the engine's modules once, not once per file (that import was 140 s of a
      // CI run's vitest time on two cores). The tests share no module state: each makes its own engine and data dir.
      // maxWorkers: 2: vitest's default on a 2-core machine is one fork (cores - 1), and most of these files wait on
      // PostgreSQL, sockets and timers rather than compute, so a second fork shortens their wall time.
      { extends: true, test: { name: 'unit', include: ['test/**/*.test.ts'], exclude: mail, isolate: false, maxWorkers: 2 } },
      { extends: true, test: { name: 'mail', include: mail, fileParallelism: false, sequence: { groupOrder: 1 } } },
    ],
  },
})
