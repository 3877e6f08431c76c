// What the shared test modules clean up after a test (engines to close and their data dirs, second
// connections) and after a file (PostgreSQL databases and roles). test/setup.ts, a vitest setup file, runs
// them: a hook registered at a shared module's top level served only the first file of each worker, since
// `isolate: false` loads such a module once per worker. Later files left their engines running (timers,
// pollers, connections) and their data dirs and databases behind: 17,094 dirs (52 GB) and 19 GB of
// databases on one development machine.
type Cleanup = () => void | Promise<void>

const perTest: Cleanup[] = []
const perFile: Cleanup[] = []

/** Runs after the current test, last registered first. */
export const afterThisTest = (fn: Cleanup): void => void perTest.push(fn)
/** Runs after the current file's tests, last registered first. */
export const afterThisFile = (fn: Cleanup): void => void perFile.push(fn)

export async function runAfterTest(): Promise<void> {
  for (const fn of perTest.splice(0).reverse()) await fn()
}

export async function runAfterFile(): Promise<void> {
  for (const fn of perFile.splice(0).reverse()) await fn()
}
