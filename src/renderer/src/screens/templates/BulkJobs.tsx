// The outbox's bulk sends: each job (one template to many) as one row with its progress, counted by the
// engine from the job's own outbox rows: sent, still waiting, failed and skipped (with why).
import type { JSX } from 'react'
import { SKIP_REASON_WORDS, type BulkJob, type SkipReason } from '../../../../shared/templates'
import { formatCount, relativeTime } from '../../lib/format'
import { useQuery } from '../../lib/useQuery'
import '../../styles/templates.css'

export function BulkJobs(): JSX.Element | null {
  const jobs = useQuery('bulk.list', { limit: 5 }, { events: ['outbox.changed'], delayMs: 500 })
  if (!jobs.data?.length) return null
  return (
    <section className="card bsend-jobs" aria-labelledby="bsend-jobs-head">
      <div className="outbox-group-head">
        <h3 id="bsend-jobs-head">Bulk sends</h3>
        <span className="count-pill">{formatCount(jobs.data.length)}</span>
      </div>
      <ul className="bsend-job-list">
        {jobs.data.map((j) => (
          <JobRow key={j.id} job={j} />
        ))}
      </ul>
    </section>
  )
}

function JobRow({ job }: { job: BulkJob }): JSX.Element {
  const { pending, sent, failed, skipped, cancelled } = job.progress
  const total = Math.max(1, job.requested)
  const pct = (n: number) => `${(n / total) * 100}%`
  const reasons = Object.entries(job.skipped)
    .map(([r, n]) => `${formatCount(n)} ${(SKIP_REASON_WORDS[r as SkipReason] ?? r).toLowerCase()}`)
    .join(', ')
  const state = pending ? `${formatCount(pending)} waiting` : failed ? 'Finished with failures' : 'Finished'
  return (
    <li className="bsend-job" aria-label={`Bulk send of ${job.templateName}`}>
      <div className="bsend-job-head">
        <span className="bsend-job-name">{job.templateName}</span>
        {job.version !== null && <span className="bsend-job-version">v{job.version}</span>}
        <span className="bsend-job-when">{relativeTime(job.createdAt)}</span>
        <span className="spacer" />
        <span className={`bsend-job-state${pending ? ' is-running' : failed ? ' is-failed' : ' is-done'}`}>{state}</span>
      </div>
      <div className="bsend-bar" role="progressbar" aria-label={`${job.templateName} progress`} aria-valuemin={0} aria-valuemax={job.requested} aria-valuenow={sent + failed + skipped + cancelled}>
        <span className="bsend-bar-sent" style={{ width: pct(sent) }} />
        <span className="bsend-bar-failed" style={{ width: pct(failed) }} />
        <span className="bsend-bar-skipped" style={{ width: pct(skipped + cancelled) }} />
      </div>
      <p className="bsend-job-counts">
        <strong>{formatCount(sent)}</strong> of {formatCount(job.requested)} sent
        {failed ? <> · <span className="danger-text">{formatCount(failed)} failed</span></> : null}
        {skipped ? <> · {formatCount(skipped)} skipped{reasons ? ` (${reasons})` : ''}</> : null}
        {cancelled ? <> · {formatCount(cancelled)} cancelled</> : null}
      </p>
    </li>
  )
}
