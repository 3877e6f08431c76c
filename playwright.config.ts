import { existsSync } from 'node:fs'
import { defineConfig } from '@playwright/test'

// Chromium's headless shell (Debian's chromium-headless-shell, which .ci/run installs) when it is there: the same
// Blink without the full browser's UI and GPU process, measured at 10-19 % less CPU and wall time for the same specs
// on two cores. Otherwise the full browser; CHROMIUM_PATH overrides both.
const chromium = process.env.CHROMIUM_PATH ?? (existsSync('/usr/bin/chromium-headless-shell') ? '/usr/bin/chromium-headless-shell' : '/usr/bin/chromium')

const chromiumArgs = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
]

export default defineConfig({
  testDir: './e2e',
  globalSetup: './e2e/globalSetup.ts',
  // Two at a time: every test has its own engine, web host and data dir, and each spec its own mail users
  // (test/mail/servers.ts) and PostgreSQL database, so specs do not share state; one worker took 9 of CI's 18 minutes.
  workers: 2,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: [['list']],
  use: {
    viewport: { width: 1360, height: 860 },
    trace: 'retain-on-failure',
  },
  projects: [
    {
      name: 'chromium',
      use: { launchOptions: { executablePath: chromium, args: chromiumArgs } },
    },
    // The same specs through the real desktop app, wherever an Electron binary is installed.
    { name: 'electron', use: { launchOptions: { executablePath: chromium, args: chromiumArgs } } },
  ],
})
