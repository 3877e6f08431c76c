// The colour theme: follow the system (the default), or always light or dark. The choice is kept on this
// computer only (localStorage) and applied as data-theme on <html>, which base.css turns into color-scheme.
export type ThemeChoice = 'system' | 'light' | 'dark'

const KEY = 'switchboard.theme'

export function themeChoice(): ThemeChoice {
  try {
    const v = localStorage.getItem(KEY)
    return v === 'light' || v === 'dark' ? v : 'system'
  } catch {
    return 'system'
  }
}

export function applyTheme(choice: ThemeChoice = themeChoice()): void {
  const root = document.documentElement
  if (choice === 'system') delete root.dataset.theme
  else root.dataset.theme = choice
}

export function setThemeChoice(choice: ThemeChoice): void {
  try {
    if (choice === 'system') localStorage.removeItem(KEY)
    else localStorage.setItem(KEY, choice)
  } catch {
    // Storage refused (private mode): the choice still holds for this window.
  }
  applyTheme(choice)
}
