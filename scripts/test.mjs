// `npm test`: typecheck, unit + integration tests (vitest), build, UI tests (Playwright in Chromium,
// and Electron where it exists). Ends with the one line CI reads: "N passed, N failed".
import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs'
import { ensureNative } from './native.mjs'

const reports = '.reports'
rmSync(reports, { recursive: true, force: true })
mkdirSync(reports, { recursive: true })
let passed = 0
let failed = 0
let skipped = 0
/** Names of what failed, printed again just above the last line: CI shows only the tail of a run. */
const failures = []

const run = (label, cmd, args, env = {}) => {
  console.log(`\n── ${label} ──`)
  const r = spawnSync(cmd, args, { stdio: 'inherit', env: { ...process.env, ...env } })
  return r.status === 0
}
const node = (script, args, env) => [process.execPath, [script, ...args], env]

ensureNative('node')

if (run('typecheck', 'npm', ['run', '-s', 'typecheck'])) passed++
else {
  failed++
  failures.push('typecheck (see "── typecheck ──" above)')
}

// Real Postfix + Dovecot on 127.0.0.1 for the integration tests (test/mail/servers.ts). The first
// start apt-installs them (Debian, root or passwordless sudo); isync brings mbsync for the sync
// benchmark. They keep running through the UI tests and are stopped at the end only if this run
// started them.
process.env.MAIL_ROOT ||= `${(process.env.TMPDIR || '/tmp').replace(/(.)\/+$/, '$1')}/switchboard-mail`
const mailScript = (sub, opts = {}) =>
  spawnSync('bash', ['scripts/mailservers.sh', sub], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, MAIL_EXTRA_PKGS: process.env.MAIL_EXTRA_PKGS ?? 'isync' },
    ...opts,
  })
console.log('\n── mail servers (Postfix + Dovecot) ──')
const mailWasRunning = mailScript('status').status === 0
const mailStart = mailScript('start', { timeout: 20 * 60_000 })
const mailStartedHere = !mailWasRunning && mailStart.status === 0
if (mailStart.status === 0) {
  console.log(mailWasRunning ? 'already running' : `started (MAIL_ROOT=${process.env.MAIL_ROOT})`)
} else {
  failed++
  failures.push('scripts/mailservers.sh start (see "── mail servers" above)')
  const tail = `${mailStart.stderr ?? ''}${mailStart.error ? `\n${mailStart.error.message}` : ''}`.trim().split('\n').slice(-20).join('\n')
  console.log(tail)
  console.log('FAILED: scripts/mailservers.sh start could not start Postfix + Dovecot (counted as 1 failed test);')
  console.log('        the integration tests that need them will fail as well. Needs Debian with apt and root/sudo.')
}

const unitOk = run('unit and integration tests', ...node('node_modules/vitest/vitest.mjs', ['run', '--reporter=default', '--reporter=json', `--outputFile.json=${reports}/unit.json`]))
if (existsSync(`${reports}/unit.json`)) {
  const unit = JSON.parse(readFileSync(`${reports}/unit.json`, 'utf8'))
  passed += unit.numPassedTests
  const unitFailed = unit.numFailedTests + filesFailedWithoutATest(unit)
  for (const file of unit.testResults) {
    const name = file.name.replace(`${process.cwd()}/`, '')
    const tests = file.assertionResults.filter((a) => a.status === 'failed')
    for (const a of tests) failures.push(`${name} › ${a.fullName ?? a.title}: ${firstLine(a.failureMessages?.[0])}`)
    if (file.status === 'failed' && tests.length === 0) failures.push(`${name}: ${firstLine(file.message)}`)
  }
  failed += unitFailed
  skipped += unit.numPendingTests + unit.numTodoTests
  // Tests that never reported (their worker process died) and errors outside any test (an unhandled
  // rejection, a crashed fork) are failures too, though vitest's JSON counts neither.
  const unreported = unit.numTotalTests - unit.numPassedTests - unit.numFailedTests - unit.numPendingTests - unit.numTodoTests
  if (unreported > 0) {
    failed += unreported
    console.log(`FAILED: ${unreported} test(s) never reported a result (their worker died); counted as failed`)
  }
  if (!unitOk && unitFailed === 0 && unreported <= 0) {
    failed++
    console.log('FAILED: vitest exited with an error outside any test (see "Unhandled Errors" above); counted as 1 failed')
  }
} else failed++

if (run('build', ...node('node_modules/electron-vite/bin/electron-vite.js', ['build']))) {
  run(
    'UI tests (Playwright)',
    // One picture per shot() unless SHOTS says otherwise: the four-variant review set (SHOTS=all, the default of
    // `npm run test:e2e`) was about a third of the UI tests' time, and no one looks at a clean clone's pictures.
    ...node('node_modules/@playwright/test/cli.js', ['test', '--reporter=list,json'], { PLAYWRIGHT_JSON_OUTPUT_NAME: `${reports}/e2e.json`, SHOTS: process.env.SHOTS ?? 'one' }),
  )
  if (existsSync(`${reports}/e2e.json`)) {
    const e2e = JSON.parse(readFileSync(`${reports}/e2e.json`, 'utf8'))
    passed += e2e.stats.expected + e2e.stats.flaky
    failed += e2e.stats.unexpected + (e2e.errors?.length ?? 0)
    collectE2eFailures(e2e.suites ?? [], [])
    for (const e of e2e.errors ?? []) failures.push(`UI tests: ${firstLine(e.message)}`)
    skipped += e2e.stats.skipped
  } else failed++
} else failed++

if (mailStartedHere) {
  const stop = mailScript('stop', { timeout: 60_000 })
  if (stop.status !== 0) console.log(`(scripts/mailservers.sh stop failed: ${`${stop.stderr}`.trim().split('\n').pop()})`)
}

/** A file that failed to load has no failed tests of its own; count it once. (numFailedTestSuites is no help:
 * it counts a failed test's describe blocks as well, which made one failure inside a describe count twice.) */
function filesFailedWithoutATest(unit) {
  return unit.testResults.filter((s) => s.status === 'failed' && !s.assertionResults.some((a) => a.status === 'failed')).length
}

/** Playwright's JSON nests suites by file and describe; a test is unexpected when its final result was not the expected one. */
function collectE2eFailures(suites, path) {
  for (const suite of suites) {
    const here = suite.title ? [...path, suite.title] : path
    for (const spec of suite.specs ?? [])
      for (const t of spec.tests ?? [])
        if (t.status === 'unexpected') {
          const last = t.results?.[t.results.length - 1]
          failures.push(`[${t.projectName}] ${[...here, spec.title].join(' › ')}:${spec.line ?? ''} ${firstLine(last?.error?.message)}`)
        }
    collectE2eFailures(suite.suites ?? [], here)
  }
}

function firstLine(text) {
  // eslint-disable-next-line no-control-regex
  const line = `${text ?? ''}`.replace(/\x1b\[[0-9;]*m/g, '').trim().split('\n')[0] ?? ''
  return line.length > 300 ? `${line.slice(0, 300)}…` : line
}

if (failures.length > 0) {
  console.log(`\nFailed (${failures.length}):`)
  for (const f of failures.slice(0, 30)) console.log(`  ✘ ${f}`)
}
console.log(`\n${skipped} skipped (see the reasons above)`)
console.log(`${passed} passed, ${failed} failed`)
process.exit(failed > 0 || passed === 0 ? 1 : 0)
