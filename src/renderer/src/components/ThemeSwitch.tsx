// System / Light / Dark, at the foot of the sidebar. System follows the computer's setting.
import { useState, type JSX } from 'react'
import { setThemeChoice, themeChoice, type ThemeChoice } from '../lib/theme'
import { Icon } from './Icons'
import { Popover } from './Popover'

const CHOICES: Array<{ value: ThemeChoice; label: string; hint: string }> = [
  { value: 'system', label: 'System', hint: 'Follow this computer' },
  { value: 'light', label: 'Light', hint: 'Always light' },
  { value: 'dark', label: 'Dark', hint: 'Always dark' },
]

function ThemeGlyph({ choice }: { choice: ThemeChoice }): JSX.Element {
  return (
    <svg className="theme-glyph" width={15} height={15} viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth={1.8} strokeLinecap="round" strokeLinejoin="round" aria-hidden="true">
      {choice === 'light' ? (
        <>
          <circle cx="12" cy="12" r="4" />
          <path d="M12 2.5v2M12 19.5v2M4.6 4.6l1.4 1.4M18 18l1.4 1.4M2.5 12h2M19.5 12h2M4.6 19.4 6 18M18 6l1.4-1.4" />
        </>
      ) : choice === 'dark' ? (
        <path d="M20 14.5A8 8 0 0 1 9.5 4a8 8 0 1 0 10.5 10.5z" />
      ) : (
        <>
          <rect x="3" y="4.5" width="18" height="12" rx="1.8" />
          <path d="M9 20h6M12 16.5V20" />
        </>
      )}
    </svg>
  )
}

export function ThemeSwitch(): JSX.Element {
  const [choice, setChoice] = useState<ThemeChoice>(themeChoice)
  const current = CHOICES.find((c) => c.value === choice) ?? CHOICES[0]
  return (
    <Popover
      label={
        <>
          <ThemeGlyph choice={choice} />
          <span className="visually-hidden">Theme: {current.label}</span>
        </>
      }
      className="icon-button theme-switch"
      direction="up"
      align="right"
      panelClassName="theme-menu"
    >
      {(close) => (
        <div className="menu" role="menu" aria-label="Theme">
          <span className="menu-caption">Theme</span>
          {CHOICES.map((c) => (
            <button
              key={c.value}
              type="button"
              role="menuitemradio"
              aria-checked={c.value === choice}
              className="menu-item"
              onClick={() => (setThemeChoice(c.value), setChoice(c.value), close())}
            >
              <ThemeGlyph choice={c.value} />
              <span className="menu-item-text">
                <span>{c.label}</span>
                <span className="muted">{c.hint}</span>
              </span>
              {c.value === choice && <Icon name="check" size={14} />}
            </button>
          ))}
        </div>
      )}
    </Popover>
  )
}
