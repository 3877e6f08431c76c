// `npm test`: typecheck, unit + integration tests (vitest), build, UI tests (Playwright in Chromium,
// and Electron where it exists). Ends with the one line CI reads: "N passed, N failed".
//
// Order: the unit project (two forks, the CPU busy throughout), then the mail project (one file at a time,
// waiting on Postfix and Dovecot: a third of two cores sat idle) side by side with the typecheck and the
// build, whose output is printed once they end; then the UI tests, which need the build.
import { spawn, spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs'
import { ensureNative } from './native.mjs'

const reports = '.reports'
rmSync(reports, { recursive: true, force: true })
mkdirSync(reports, { recursive: true })
let passed = 0
let failed = 0
let skipped = 0

const run = (label, cmd, args, env = {}) => {
  console.log(`\n── ${label} ──`)
  const r = spawnSync(cmd, args, { stdio: 'inherit', env: { ...process.env, ...env } })
  return r.status === 0
}
const node = (script, args, env) => [process.execPath, [script, ...args], env]
/** Runs in the background with its output kept, to be printed whole when it ends (not interleaved). */
const runQuiet = (cmd, args) =>
  new Promise((resolve) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], env: process.env })
    let out = ''
    child.stdout.on('data', (b) => (out += b))
    child.stderr.on('data', (b) => (out += b))
    child.on('error', (e) => resolve({ ok: false, out: `${out}${e.message}\n` }))
    child.on('close', (code) => resolve({ ok: code === 0, out }))
  })
const runLoud = (label, cmd, args) =>
  new Promise((resolve) => {
    console.log(`\n── ${label} ──`)
    const child = spawn(cmd, args, { stdio: 'inherit', env: process.env })
    child.on('error', () => resolve(false))
    child.on('close', (code) => resolve(code === 0))
  })

ensureNative('node')

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
  const tail = `${mailStart.stderr ?? ''}${mailStart.error ? `\n${mailStart.error.message}` : ''}`.trim().split('\n').slice(-20).join('\n')
  console.log(tail)
  console.log('FAILED: scripts/mailservers.sh start could not start Postfix + Dovecot (counted as 1 failed test);')
  console.log('        the integration tests that need them will fail as well. Needs Debian with apt and root/sudo.')
}

const vitest = (project) => node('node_modules/vitest/vitest.mjs', ['run', `--project=${project}`, '--reporter=default', '--reporter=json', `--outputFile.json=${reports}/${project}.json`])
const unitOk = run('unit tests', ...vitest('unit'))
countVitest('unit', unitOk)
const [mailOk, typecheck, build] = await Promise.all([
  runLoud('integration tests against Postfix and Dovecot (beside the typecheck and the build)', ...vitest('mail').slice(0, 2)),
  runQuiet('npm', ['run', '-s', 'typecheck']),
  runQuiet(...node('node_modules/electron-vite/bin/electron-vite.js', ['build']).slice(0, 2)),
])
countVitest('mail', mailOk)
console.log(`\n── typecheck ──\n${typecheck.out.trim() || 'no errors'}`)
if (typecheck.ok) passed++
else failed++
// A failed build shows all it said; a good one, its summary.
console.log(`\n── build ──\n${build.ok ? build.out.trim().split('\n').slice(-6).join('\n') : build.out.trim()}`)

/** Adds one vitest project's JSON report to the totals. */
function countVitest(project, ok) {
  const file = `${reports}/${project}.json`
  if (!existsSync(file)) {
    failed++
    return
  }
  const unit = JSON.parse(readFileSync(file, 'utf8'))
  passed += unit.numPassedTests
  const unitFailed = unit.numFailedTests + filesFailedWithoutATest(unit)
  failed += unitFailed
  skipped += unit.numPendingTests + unit.numTodoTests
  // Tests that never reported (their worker process died) and errors outside any test (an unhandled
  // rejection, a crashed fork) are failures too, though vitest's JSON counts neither.
  const unreported = unit.numTotalTests - unit.numPassedTests - unit.numFailedTests - unit.numPendingTests - unit.numTodoTests
  if (unreported > 0) {
    failed += unreported
    console.log(`FAILED: ${unreported} ${project} test(s) never reported a result (their worker died); counted as failed`)
  }
  if (!ok && unitFailed === 0 && unreported <= 0) {
    failed++
    console.log(`FAILED: vitest (${project}) exited with an error outside any test (see "Unhandled Errors" above); counted as 1 failed`)
  }
}

if (build.ok) {
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

console.log(`\n${skipped} skipped (see the reasons above)`)
console.log(`${passed} passed, ${failed} failed`)
process.exit(failed > 0 || passed === 0 ? 1 : 0)
