// To / Cc: addresses as chips, typed or picked from contacts. Enter, comma, semicolon, Tab and leaving
// the field turn what was typed into a chip; pasted lists are split. Invalid addresses stay, in red, so
// nothing typed is lost, and the field says which one is wrong.
import { useEffect, useId, useRef, useState, type ClipboardEvent, type JSX, type KeyboardEvent } from 'react'
import type { Contact } from '../../../../shared/models'
import { isEmail } from '../../../../shared/validators'
import { moveActive, SuggestList } from '../../components/SuggestList'
import { ComposeLine } from './ComposeLine'
import { Avatar } from '../../components/Avatar'
import { Icon } from '../../components/Icons'
import { displayName } from '../../lib/format'
import { rpc } from '../../rpc'

interface Props {
  label: string
  value: string[]
  onChange: (value: string[]) => void
  /** An error from the engine for this field (e.g. "to.1"). */
  error?: string
  disabled?: boolean
  /** Extra control at the end of the line (the "Cc" toggle). */
  trailing?: JSX.Element | null
  /** Reports the contact behind a picked address (the first one links the draft to the contact). */
  onPickContact?: (c: Contact) => void
}

const SPLIT = /[\s,;]+/

export function splitAddresses(raw: string): string[] {
  return raw
    .split(SPLIT)
    .map((a) => a.trim().replace(/^<|>$/g, ''))
    .filter(Boolean)
}

export function RecipientField({ label, value, onChange, error, disabled, trailing, onPickContact }: Props): JSX.Element {
  const id = useId()
  const [text, setText] = useState('')
  const [focused, setFocused] = useState(false)
  const [active, setActive] = useState(0)
  const suggestions = useSuggestions(text, value)
  const inputRef = useRef<HTMLInputElement>(null)
  // Escape hides the suggestions and keeps what was typed; typing again brings them back.
  const [dismissedAt, setDismissedAt] = useState<string | null>(null)
  const open = focused && text.trim() !== '' && suggestions.length > 0 && dismissedAt !== text
  const invalid = value.filter((a) => !isEmail(a))
  const message = error ?? (invalid.length ? `“${invalid[0]}” is not a valid email address` : undefined)

  const add = (addresses: string[]) => {
    const fresh = addresses.filter((a) => !value.some((v) => v.toLowerCase() === a.toLowerCase()))
    if (fresh.length) onChange([...value, ...fresh])
    setText('')
    setActive(0)
  }
  const commit = () => {
    if (text.trim()) add(splitAddresses(text))
  }
  const pick = (c: Contact) => {
    if (!c.email) return
    add([c.email])
    onPickContact?.(c)
    inputRef.current?.focus()
  }
  const onKey = (e: KeyboardEvent<HTMLInputElement>) => {
    if (open && moveActive(e.key, suggestions.length, setActive)) return e.preventDefault()
    if (e.key === 'Enter' && open) pick(suggestions[active])
    else if (e.key === 'Enter' || e.key === ',' || e.key === ';') commit()
    else if (e.key === 'Tab' && text.trim()) {
      // Tab still moves on; the typed address becomes a chip on the way.
      commit()
      return
    } else if (e.key === 'Backspace' && text === '' && value.length) {
      onChange(value.slice(0, -1))
    } else if (e.key === 'Escape' && open) setDismissedAt(text)
    else return
    e.preventDefault()
  }
  const onPaste = (e: ClipboardEvent<HTMLInputElement>) => {
    const pasted = e.clipboardData.getData('text')
    if (!SPLIT.test(pasted.trim())) return
    e.preventDefault()
    add(splitAddresses(text + pasted))
  }

  return (
    <ComposeLine
      id={id}
      label={label}
      error={message}
      trailing={trailing}
      below={
        <SuggestList id={id} className="suggest-list" label={`${label} suggestions`} open={open} items={suggestions} keyOf={(c) => c.id} active={active} onActive={setActive} onPick={pick}>
          {(c) => (
            <>
              <Avatar name={displayName(c)} size={26} />
              <span className="suggest-text">
                <span className="suggest-name">{displayName(c)}</span>
                <span className="suggest-email">{c.email}</span>
              </span>
            </>
          )}
        </SuggestList>
      }
    >
      <div className="recipients" onMouseDown={(e) => e.target === e.currentTarget && (e.preventDefault(), inputRef.current?.focus())}>
        {value.map((a, i) => {
          const bad = !isEmail(a)
          return (
            <span key={`${a}-${i}`} className={`recipient${bad ? ' is-invalid' : ''}`} title={bad ? 'Not a valid email address' : a}>
              {bad && <Icon name="alert" size={12} />}
              <span className="recipient-text">{a}</span>
              {!disabled && (
                <button type="button" className="chip-remove" aria-label={`Remove ${a}`} onClick={() => onChange(value.filter((_, j) => j !== i))}>
                  <Icon name="x" size={12} />
                </button>
              )}
            </span>
          )
        })}
        <input
          ref={inputRef}
          id={id}
          className="recipients-input"
          role="combobox"
          aria-expanded={open}
          aria-controls={`${id}-list`}
          aria-autocomplete="list"
          aria-activedescendant={open ? `${id}-opt-${active}` : undefined}
          aria-invalid={message ? true : undefined}
          aria-describedby={message ? `${id}-err` : undefined}
          autoComplete="off"
          disabled={disabled}
          value={text}
          placeholder={value.length ? '' : 'Name or email address'}
          onChange={(e) => {
            setText(e.target.value)
            setActive(0)
          }}
          onKeyDown={onKey}
          onPaste={onPaste}
          onFocus={() => setFocused(true)}
          onBlur={() => {
            setFocused(false)
            commit()
          }}
        />
      </div>
    </ComposeLine>
  )
}

/** Contacts matching what is being typed (debounced), minus the ones already added. */
function useSuggestions(text: string, exclude: string[]): Contact[] {
  const [items, setItems] = useState<Contact[]>([])
  const query = text.trim()
  useEffect(() => {
    if (!query) {
      setItems([])
      return
    }
    let live = true
    const t = setTimeout(() => {
      rpc('contacts.list', { query, limit: 8 }).then(
        (page) => live && setItems(page.items),
        () => live && setItems([]),
      )
    }, 150)
    return () => {
      live = false
      clearTimeout(t)
    }
  }, [query])
  const taken = new Set(exclude.map((a) => a.toLowerCase()))
  return items.filter((c) => c.email && !taken.has(c.email.toLowerCase()))
}
