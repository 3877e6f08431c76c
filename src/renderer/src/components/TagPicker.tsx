// A combobox over the workspace's tags: type to filter, arrows + Enter to pick, or create a new tag
// from what was typed. Used by the bulk bar, the contact profile and the import screen.
import { useId, useMemo, useState, type JSX, type KeyboardEvent } from 'react'
import type { Tag } from '../../../shared/models'
import { rpc } from '../rpc'
import { useApp } from '../store'
import { TagChip } from './TagChip'
import { Icon } from './Icons'
import { moveActive, SuggestList } from './SuggestList'

export type TagChoice = { tag: Tag } | { newName: string }

/** The tag for a choice, creating it first when it is new. */
export async function resolveTag(choice: TagChoice): Promise<Tag> {
  if ('tag' in choice) return choice.tag
  const tag = await rpc('tags.create', { name: choice.newName })
  void useApp.getState().loadTags()
  return tag
}

interface Props {
  label: string
  onPick: (choice: TagChoice) => void
  /** Tags not to offer (already applied). */
  exclude?: number[]
  /** Offer only these tags (e.g. the ones on the selected rows). */
  only?: Tag[]
  allowCreate?: boolean
  autoFocus?: boolean
  placeholder?: string
  /** Show the list only while the input has focus (for pickers embedded in a page). */
  collapsible?: boolean
}

export function TagPicker({ label, onPick, exclude = [], only, allowCreate = true, autoFocus, placeholder = 'Search or create a tag', collapsible }: Props): JSX.Element {
  const allTags = useApp((s) => s.tags) ?? []
  const [query, setQuery] = useState('')
  const [focused, setFocused] = useState(false)
  // Escape hides a floating list (keeping what was typed); typing again brings it back.
  const [dismissedAt, setDismissedAt] = useState<string | null>(null)
  const open = !collapsible || (focused && dismissedAt !== query)
  const [active, setActive] = useState(0)
  const id = useId()

  const q = query.trim().toLowerCase()
  const matches = useMemo(
    () => (only ?? allTags).filter((t) => !exclude.includes(t.id) && t.name.toLowerCase().includes(q)).slice(0, 50),
    [only, allTags, exclude, q],
  )
  const exact = (only ?? allTags).some((t) => t.name.toLowerCase() === q)
  const canCreate = allowCreate && q !== '' && !exact
  const options: TagChoice[] = [...matches.map((tag) => ({ tag })), ...(canCreate ? [{ newName: query.trim() }] : [])]

  const pick = (choice: TagChoice | undefined) => {
    if (!choice) return
    onPick(choice)
    setQuery('')
    setActive(0)
  }
  const onKey = (e: KeyboardEvent<HTMLInputElement>) => {
    if (moveActive(e.key, options.length, setActive)) return e.preventDefault()
    if (e.key === 'Enter') pick(options[active])
    else if (e.key === 'Escape' && collapsible && open) setDismissedAt(query)
    else return
    e.preventDefault()
  }

  return (
    <div className={`tag-picker${collapsible ? ' is-collapsible' : ''}`}>
      <label htmlFor={id} className="visually-hidden">
        {label}
      </label>
      <div className="tag-picker-input">
        <Icon name="search" size={14} />
        <input
          id={id}
          className="input input-bare"
          role="combobox"
          aria-expanded={open}
          aria-controls={`${id}-list`}
          aria-activedescendant={options.length ? `${id}-opt-${active}` : undefined}
          autoComplete="off"
          autoFocus={autoFocus}
          placeholder={placeholder}
          value={query}
          onChange={(e) => {
            setQuery(e.target.value)
            setActive(0)
          }}
          onKeyDown={onKey}
          onFocus={() => setFocused(true)}
          onBlur={() => (setFocused(false), setDismissedAt(null))}
        />
      </div>
      <SuggestList id={id} className={`tag-picker-list${collapsible ? ' is-floating' : ''}`} label="Suggestions" open={open} items={options} keyOf={(o) => ('tag' in o ? o.tag.id : 'new')} active={active} onActive={setActive} onPick={pick}>
        {(o) =>
          'tag' in o ? (
            <>
              <TagChip name={o.tag.name} color={o.tag.color} />
              <span className="tag-picker-count">{o.tag.contactCount}</span>
            </>
          ) : (
            <span className="tag-picker-create">
              <Icon name="plus" size={14} /> Create tag “{o.newName}”
            </span>
          )
        }
      </SuggestList>
    </div>
  )
}
