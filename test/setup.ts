// vitest setupFiles: runs before every test file, in every project, whatever the isolation (see support/afterTest.ts).
import { afterAll, afterEach } from 'vitest'
import { runAfterFile, runAfterTest } from './support/afterTest'

afterEach(runAfterTest)
afterAll(runAfterFile)
