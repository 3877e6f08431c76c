// The forms of Settings › Team (issue 22): create a workspace from this desktop, join one from an empty
// desktop, add a staff member. Errors go next to their field; a password is never kept in the page's state
// after a success.
import { useState, type JSX, type ReactNode } from 'react'
import { FormError, SelectField, TextField } from '../../components/Field'
import { Form } from '../../components/Form'
import { splitError } from '../../lib/errors'
import { rpc } from '../../rpc'
import { toastOk } from '../../store'

type Errors = { fields: Record<string, string>; form: string | null }
const none: Errors = { fields: {}, form: null }
// 'admin.email' → 'email': the create form shows the admin's fields as its own.
const fieldKey = (f: string) => f.replace(/^admin\./, '')

function useSubmit(run: () => Promise<void>): { busy: boolean; errors: Errors; submit: () => Promise<void> } {
  const [busy, setBusy] = useState(false)
  const [errors, setErrors] = useState<Errors>(none)
  const submit = async () => {
    setBusy(true)
    setErrors(none)
    await run()
      .catch((err) => setErrors(splitError(err, () => true, fieldKey)))
      .finally(() => setBusy(false))
  }
  return { busy, errors, submit }
}

/** A card that is one form: its title and help, the fields, the form's error and one submit button. */
function CardForm(p: { id: string; title: string; help: string; submit: () => Promise<void>; busy: boolean; error: string | null; action: string; busyAction: string; children: ReactNode }): JSX.Element {
  return (
    <Form className="card team-card" onSubmit={p.submit} aria-labelledby={p.id}>
      <div className="card-header">
        <div>
          <h2 id={p.id}>{p.title}</h2>
          <p className="card-help">{p.help}</p>
        </div>
      </div>
      <div className="card-body team-fields">
        {p.children}
        <FormError message={p.error} />
        <div className="card-actions">
          <button type="submit" className="btn btn-primary" disabled={p.busy}>
            {p.busy ? p.busyAction : p.action}
          </button>
        </div>
      </div>
    </Form>
  )
}

export function CreateTeamForm({ onDone }: { onDone: () => void }): JSX.Element {
  const [databaseUrl, setUrl] = useState('')
  const [displayName, setName] = useState('')
  const [email, setEmail] = useState('')
  const [password, setPassword] = useState('')
  const { busy, errors, submit } = useSubmit(async () => {
    await rpc('team.create', { databaseUrl, admin: { email, displayName, password } })
    setPassword('')
    toastOk('Team workspace created: your data is being shared')
    onDone()
  })
  return (
    <CardForm
      id="team-create-title"
      title="Create a team workspace"
      help="Share this desktop’s businesses, contacts, notes and tasks with your staff through a PostgreSQL database you own."
      submit={submit}
      busy={busy}
      error={errors.form}
      action="Create workspace"
      busyAction="Creating…"
    >
        <TextField
          label="Database address"
          value={databaseUrl}
          onChange={setUrl}
          error={errors.fields.databaseUrl}
          placeholder="postgres://owner:password@db.example.com:5432/switchboard"
          hint="An empty database; its owner creates the tables and your sign-in. This address is not stored."
        />
        <div className="form-grid">
          <TextField label="Your name" value={displayName} onChange={setName} error={errors.fields.displayName} autoComplete="name" />
          <TextField label="Your email" type="email" value={email} onChange={setEmail} error={errors.fields.email} autoComplete="email" />
        </div>
        <TextField
          label="Your team password"
          type="password"
          value={password}
          onChange={setPassword}
          error={errors.fields.password}
          autoComplete="new-password"
          hint="At least 10 characters. You sign in with it on your other desktops."
        />
    </CardForm>
  )
}

export function JoinTeamForm({ onDone }: { onDone: () => void }): JSX.Element {
  const [databaseUrl, setUrl] = useState('')
  const [email, setEmail] = useState('')
  const [password, setPassword] = useState('')
  const { busy, errors, submit } = useSubmit(async () => {
    await rpc('team.join', { databaseUrl, email, password })
    setPassword('')
    onDone()
    // The desktop now holds the team's data: start again from it (a first-run desktop leaves the set-up wizard).
    location.hash = '#/contacts'
    location.reload()
  })
  return (
    <CardForm
      id="team-join-title"
      title="Join a team workspace"
      help="On a new desktop: your admin gives you the address, your email and a password."
      submit={submit}
      busy={busy}
      error={errors.form}
      action="Join workspace"
      busyAction="Joining…"
    >
        <TextField label="Database address" value={databaseUrl} onChange={setUrl} error={errors.fields.databaseUrl} placeholder="postgres://db.example.com:5432/switchboard" />
        <TextField label="Email" type="email" value={email} onChange={setEmail} error={errors.fields.email} autoComplete="email" />
        <TextField label="Password" type="password" value={password} onChange={setPassword} error={errors.fields.password} autoComplete="current-password" />
    </CardForm>
  )
}

export function AddStaffForm({ onDone }: { onDone: () => void }): JSX.Element {
  const [displayName, setName] = useState('')
  const [email, setEmail] = useState('')
  const [password, setPassword] = useState('')
  const [role, setRole] = useState<'staff' | 'admin'>('staff')
  const { busy, errors, submit } = useSubmit(async () => {
    await rpc('team.users.create', { email, displayName, password, role, profileIds: [] })
    toastOk(`${displayName} can now join from their desktop`)
    setName('')
    setEmail('')
    setPassword('')
    onDone()
  })
  return (
    <Form className="team-add" onSubmit={submit} aria-label="Add a staff member">
      <div className="team-add-grid">
        <TextField label="Name" value={displayName} onChange={setName} error={errors.fields.displayName} />
        <TextField label="Email" type="email" value={email} onChange={setEmail} error={errors.fields.email} />
        <TextField label="First password" type="password" value={password} onChange={setPassword} error={errors.fields.password} autoComplete="new-password" hint="Tell them once; at least 10 characters." />
        <SelectField label="Role" value={role} onChange={(v) => setRole(v === 'admin' ? 'admin' : 'staff')} options={[{ value: 'staff', label: 'Staff' }, { value: 'admin', label: 'Admin' }]} />
      </div>
      <FormError message={errors.form} />
      <div className="card-actions">
        <button type="submit" className="btn" disabled={busy}>
          {busy ? 'Adding…' : 'Add staff member'}
        </button>
      </div>
    </Form>
  )
}
