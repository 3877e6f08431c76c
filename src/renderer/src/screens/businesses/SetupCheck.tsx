// The set-up test's result, per server, in words (issue 20, capability 4). Forms run the test before they
// save; when a server fails the form does not save, and offers "Save anyway" as an explicit choice. Any
// edit to the settings makes the old result stale, so it is dropped.
import { useCallback, useEffect, useRef, useState, type JSX } from 'react'
import { PROBLEM_TITLE, type ServerErrorCode } from '../../../../shared/serverErrors'
import type { ServerCheck } from '../../../../shared/setupTest'
import { Icon } from '../../components/Icons'
import { useFormErrors } from '../../lib/errors'

export interface CheckRow {
  /** e.g. "Outgoing mail (SMTP)". */
  label: string
  check: ServerCheck
  /** The form field the problem points at (focused and marked), e.g. "smtp.password". */
  field?: string | null
}

/** Which field of a server's settings a problem points at. */
export function fieldOfProblem(code: ServerCheck['code'], prefix: string): string | null {
  const p = prefix ? `${prefix}.` : ''
  switch (code) {
    case 'AUTH':
      return `${p}password`
    case 'DNS':
      return `${p}host`
    case 'CONNECTION_REFUSED':
    case 'TIMEOUT':
      return `${p}port`
    case 'TLS_MISMATCH':
      return `${p}secure`
    default:
      return null
  }
}

export type CheckState = { phase: 'idle' } | { phase: 'checking' } | { phase: 'done'; rows: CheckRow[] }

/** Runs a test and keeps its result until the settings change. */
export function useSetupCheck() {
  const [state, setState] = useState<CheckState>({ phase: 'idle' })
  const run = useCallback(async (test: () => Promise<CheckRow[]>): Promise<CheckRow[]> => {
    setState({ phase: 'checking' })
    try {
      const rows = await test()
      setState({ phase: 'done', rows })
      return rows
    } catch (err) {
      setState({ phase: 'idle' })
      throw err
    }
  }, [])
  const reset = useCallback(() => setState((s) => (s.phase === 'idle' ? s : { phase: 'idle' })), [])
  const failed = state.phase === 'done' && state.rows.some((r) => !r.check.ok)
  return { state, run, reset, failed }
}

/** Marks the fields the failed servers point at, with the problem's short title. */
export function markProblems(rows: CheckRow[], set: (field: string, message: string) => void): void {
  for (const r of rows) if (!r.check.ok && r.field) set(r.field, PROBLEM_TITLE[r.check.code as ServerErrorCode] ?? 'Check this setting')
}

/** The save flow of the connection forms (a mailbox, Mailgun, the onboarding step): the settings are tried
 * before they are saved, a failed try marks the fields it points at and stops the save, and an edit drops
 * the last result. */
export function useTestedSave() {
  const [busy, setBusy] = useState(false)
  const errors = useFormErrors()
  const check = useSetupCheck()
  /** A draft setter that also drops the last test: it said nothing about the new settings. */
  const edited =
    <D,>(set: (draft: D) => void) =>
    (draft: D) => {
      set(draft)
      check.reset()
    }
  const start = () => {
    setBusy(true)
    errors.clear()
  }
  /** Runs the test; on a failure marks the fields it points at and ends the busy state (the save stops). */
  const passes = async (test: () => Promise<CheckRow[]>): Promise<boolean> => {
    const rows = await check.run(test)
    if (rows.every((r) => r.check.ok)) return true
    markProblems(rows, errors.set)
    setBusy(false)
    return false
  }
  return { busy, setBusy, errors, check, edited, start, passes }
}

export function SetupCheckPanel({ state }: { state: CheckState }): JSX.Element | null {
  const ref = useRef<HTMLDivElement>(null)
  // The result sits below long forms: bring it into view when it arrives.
  useEffect(() => {
    if (state.phase !== 'idle') ref.current?.scrollIntoView({ block: 'nearest' })
  }, [state])
  if (state.phase === 'idle') return null
  if (state.phase === 'checking')
    return (
      <div ref={ref} className="setup-check is-checking" role="status">
        <span className="setup-check-spinner" aria-hidden="true" />
        <span>Testing the connection…</span>
      </div>
    )
  const failed = state.rows.some((r) => !r.check.ok)
  return (
    <div ref={ref} className={`setup-check${failed ? ' is-failed' : ' is-ok'}`} role={failed ? 'alert' : 'status'} aria-label="Connection test">
      <ul className="setup-check-list">
        {state.rows.map((r) => (
          <li key={r.label} className={r.check.ok ? 'is-ok' : 'is-failed'}>
            <span className="setup-check-icon" aria-hidden="true">
              <Icon name={r.check.ok ? 'check' : 'alert'} size={14} />
            </span>
            <span className="setup-check-text">
              <strong>
                {r.label}: {r.check.ok ? 'works' : PROBLEM_TITLE[r.check.code as ServerErrorCode] ?? 'Failed'}
              </strong>
              <span>{r.check.message}</span>
            </span>
          </li>
        ))}
      </ul>
      {failed && <p className="setup-check-foot">Fix the settings and try again, or save them anyway if you know the server is only away for now.</p>}
    </div>
  )
}

/**
 * The end of a form that tests its settings before saving: "Save anyway" once a test failed, then the submit
 * button, which says what it is doing (Testing…, Saving…) and offers "Test again" after a failure.
 */
export function SetupCheckActions({ check, busy, label, onSaveAnyway }: { check: ReturnType<typeof useSetupCheck>; busy: boolean; label: string; onSaveAnyway: () => void }): JSX.Element {
  return (
    <>
      {check.failed && (
        <button type="button" className="btn" disabled={busy} onClick={onSaveAnyway}>
          Save anyway
        </button>
      )}
      <button type="submit" className="btn btn-primary" disabled={busy}>
        {check.state.phase === 'checking' ? 'Testing…' : busy ? 'Saving…' : check.failed ? 'Test again' : label}
      </button>
    </>
  )
}

/** Focuses the input labelled `label` inside `root` (dialogs open with focus on their first control). */
export function focusByLabel(root: ParentNode | null, label: string): void {
  const l = [...(root ?? document).querySelectorAll('label')].find((x) => x.textContent?.trim() === label)
  const input = l?.htmlFor ? document.getElementById(l.htmlFor) : null
  if (input instanceof HTMLElement) input.focus()
}
