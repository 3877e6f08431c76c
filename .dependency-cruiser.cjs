// The house's import rules (ARCHITECTURE.md; issue 15), checked by `npm run lint:deps`, which `npm test`
// runs. Per domain: handlers (boundary) → services (rules, transactions) → repos (queries) → db. The
// machinery folders (sender, sync, workspace, backups, automation loop) sit beside services: called by
// them, never calling up. Type-only imports are free: they vanish at run time and draw no arrow.
const E = '^src/main/engine/'
const MACHINERY = `${E}(outbound|inbound|workspace|backups|automation|team)/`
const runtimeOnly = { dependencyTypesNot: ['type-only'] }

module.exports = {
  forbidden: [
    {
      name: 'handler-imports-handler',
      comment: 'A handler is a boundary: it calls its service, never another domain\'s handler.',
      severity: 'error',
      from: { path: `${E}handlers/`, pathNot: `${E}handlers/index\\.ts$` },
      to: { path: `${E}handlers/`, ...runtimeOnly },
    },
    {
      name: 'handler-skips-service',
      comment: 'Handlers reach data only through their service: no repos, db, SQL or machinery.',
      severity: 'error',
      from: { path: `${E}handlers/` },
      to: { path: `${E}(repos|db|queries)/|${MACHINERY}`, ...runtimeOnly },
    },
    {
      name: 'service-imports-handler',
      severity: 'error',
      from: { path: `${E}services/` },
      to: { path: `${E}handlers/`, ...runtimeOnly },
    },
    {
      name: 'repo-imports-up',
      comment: 'Repos hold queries: they import only db, other repos, the clock and shared code.',
      severity: 'error',
      from: { path: `${E}repos/` },
      to: { path: `${E}(handlers|services|queries)/|${MACHINERY}|${E}(index|dispatch|hooks)\\.ts$`, ...runtimeOnly },
    },
    {
      name: 'machinery-calls-up',
      comment: 'The sender, sync, workspace and automation loop are called by services; they never call back up (use ctx.hooks).',
      severity: 'error',
      from: { path: MACHINERY },
      to: { path: `${E}(handlers|services)/`, ...runtimeOnly },
    },
    {
      name: 'only-the-engine-wires-handlers',
      comment: 'Handlers are assembled once, by the engine entry; nothing else imports them.',
      severity: 'error',
      from: { path: '^src/', pathNot: `${E}index\\.ts$|${E}handlers/` },
      to: { path: `${E}handlers/`, ...runtimeOnly },
    },
    {
      name: 'engine-imports-electron',
      comment: 'The engine runs without Electron (web host, tests); host abilities arrive through EngineOptions.',
      severity: 'error',
      from: { path: E },
      to: { path: '^electron$|^electron/|node_modules/electron/' },
    },
    {
      name: 'renderer-imports-node',
      comment: 'The renderer is a web page: no Node built-ins, no engine or host code.',
      severity: 'error',
      from: { path: '^src/(renderer|shared)/' },
      to: { dependencyTypes: ['core'] },
    },
    {
      name: 'renderer-imports-main',
      severity: 'error',
      from: { path: '^src/(renderer|shared)/' },
      to: { path: '^src/(main|server|preload)/', ...runtimeOnly },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.node.json' },
    exclude: { path: '(^|/)(out|dist)/' },
  },
}
