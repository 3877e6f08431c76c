// "Insert template" in compose: the From business's library templates; the chosen one is rendered for the
// person in To (their contact's name, or an address alone) without the list footer, and put into the message.
// What was already typed stays: the template goes below it (and the subject is only filled when empty).
import type { JSX } from 'react'
import { Icon } from '../../components/Icons'
import { Popover } from '../../components/Popover'
import { useQuery } from '../../lib/useQuery'
import { rpc } from '../../rpc'
import { toastError } from '../../store'
import '../../styles/templates.css'

interface Props {
  profileId: number | null
  objectId: number | null
  to: string[]
  disabled?: boolean
  onInsert: (t: { subject: string; html: string; templateId: number }) => void
}

export function InsertTemplate({ profileId, objectId, to, disabled, onInsert }: Props): JSX.Element | null {
  const list = useQuery('templates.list', { objectId: objectId ?? undefined }, { events: ['templates.changed'], enabled: objectId !== null })
  const items = list.data ?? []
  if (objectId === null) return null
  const pick = async (id: number, close: () => void) => {
    close()
    try {
      const r = await rpc('templates.render', { templateId: id, footer: false, ...(profileId !== null ? { profileId } : {}), email: to[0] ?? '' })
      onInsert({ subject: r.subject, html: r.html, templateId: id })
    } catch (err) {
      toastError(err)
    }
  }
  return (
    <TemplateMenu
      label="Insert template"
      caption="Insert template"
      empty="This business has no templates yet. Make them under Templates."
      items={items}
      direction="up"
      disabled={disabled}
      onPick={pick}
    />
  )
}

/**
 * "Use a template" in automation messages (autoresponder actions, sequence steps, flow emails): the library
 * template's own words, variables and all, since each contact's copy is rendered when it is sent. What was
 * typed stays: the template goes below it, and the subject is only filled when empty. Later edits to the
 * template do not reach this message (it holds a copy), as mail already queued never changes.
 */
export function UseTemplate({ objectId, label, onUse }: { objectId: number | null; label: string; onUse: (t: { subject: string; html: string }) => void }): JSX.Element {
  const list = useQuery('templates.list', { objectId: objectId ?? undefined }, { events: ['templates.changed'] })
  const items = list.data ?? []
  const pick = async (id: number, close: () => void) => {
    close()
    try {
      const t = await rpc('templates.get', { id })
      onUse({ subject: t.version.subject, html: t.version.html })
    } catch (err) {
      toastError(err)
    }
  }
  return <TemplateMenu label={label} caption="Use a template" empty="No templates yet. Make them under Templates." items={items} iconSize={15} onPick={pick} />
}

interface TemplateMenuProps {
  label: string
  caption: string
  empty: string
  items: Array<{ id: number; name: string; subject: string }>
  direction?: 'down' | 'up'
  iconSize?: number
  disabled?: boolean
  onPick: (id: number, close: () => void) => Promise<void>
}

/** The menu both pickers open from their braces button: the business's templates, each name over its subject. */
function TemplateMenu({ label, caption, empty, items, direction, iconSize, disabled, onPick }: TemplateMenuProps): JSX.Element {
  return (
    <Popover
      className="icon-button"
      direction={direction}
      panelClassName="tpl-insert-menu"
      label={
        <span title={label} aria-label={label} className="tpl-insert-label">
          <Icon name="braces" size={iconSize} />
        </span>
      }
    >
      {(close) => (
        <div role="group" aria-label={label}>
          <p className="menu-caption">{caption}</p>
          {items.length === 0 ? (
            <p className="menu-empty">{empty}</p>
          ) : (
            items.map((t) => (
              <button key={t.id} type="button" className="menu-item" disabled={disabled} onClick={() => void onPick(t.id, close)}>
                <span className="menu-item-text">
                  <span>{t.name}</span>
                  <span className="muted">{t.subject}</span>
                </span>
              </button>
            ))
          )}
        </div>
      )}
    </Popover>
  )
}

/** A template's words put into a message: subject when it is empty, body below what was typed. */
export function withTemplate(cur: { subject: string; body: string }, t: { subject: string; html: string }): { subject: string; body: string } {
  const typed = cur.body.replace(/^<p><\/p>$/, '')
  return { subject: cur.subject.trim() ? cur.subject : t.subject, body: `${typed}${t.html}` }
}
