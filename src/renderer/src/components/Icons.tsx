// A handful of stroke icons drawn inline (no icon font, nothing to load, CSP-safe). Each icon is one SVG path
// on a 24x24 grid (circles and rounded boxes written as arcs), drawn by the one <svg> below.
import type { JSX } from 'react'

type IconProps = { size?: number; className?: string }
const paths = {
  contacts: 'M5.8 8a3.2 3.2 0 1 0 6.4 0a3.2 3.2 0 1 0 -6.4 0zM3.5 19c.6-3.2 2.8-5 5.5-5s4.9 1.8 5.5 5M15.5 5.2a3 3 0 0 1 0 5.6M17.5 14.4c1.6.6 2.7 2.1 3 4.6',
  import: 'M12 4v11M7.5 10.5 12 15l4.5-4.5M4 16v2.5A1.5 1.5 0 0 0 5.5 20h13a1.5 1.5 0 0 0 1.5-1.5V16',
  building: 'M6 3.5h7a1.5 1.5 0 0 1 1.5 1.5v14a1.5 1.5 0 0 1 -1.5 1.5h-7a1.5 1.5 0 0 1 -1.5 -1.5v-14a1.5 1.5 0 0 1 1.5 -1.5zM14.5 9.5h4a1 1 0 0 1 1 1v10h-5M8 7.5h3M8 11h3M8 14.5h3',
  search: 'M5 11a6 6 0 1 0 12 0a6 6 0 1 0 -12 0zM20 20l-4.2-4.2',
  plus: 'M12 5v14M5 12h14',
  x: 'M6 6l12 12M18 6 6 18',
  check: 'M5 12.5l4.5 4.5L19 7.5',
  chevronLeft: 'M14.5 6 8.5 12l6 6',
  chevronDown: 'M6 9.5l6 6 6-6',
  arrowUp: 'M12 19V5M6 11l6-6 6 6',
  arrowDown: 'M12 5v14M6 13l6 6 6-6',
  tag: 'M3.5 12.2V4.5a1 1 0 0 1 1-1h7.7l8.3 8.3a1 1 0 0 1 0 1.4l-7.3 7.3a1 1 0 0 1-1.4 0zM6.6 8a1.4 1.4 0 1 0 2.8 0a1.4 1.4 0 1 0 -2.8 0z',
  trash: 'M4.5 7h15M9.5 7V4.5h5V7M6.5 7l1 13h9l1-13M10 11v5.5M14 11v5.5',
  mail: 'M5 5h14a2 2 0 0 1 2 2v10a2 2 0 0 1 -2 2h-14a2 2 0 0 1 -2 -2v-10a2 2 0 0 1 2 -2zM3.5 6.5l8.5 6.5 8.5-6.5',
  server: 'M5 4h14a1.5 1.5 0 0 1 1.5 1.5v4a1.5 1.5 0 0 1 -1.5 1.5h-14a1.5 1.5 0 0 1 -1.5 -1.5v-4a1.5 1.5 0 0 1 1.5 -1.5zM5 13h14a1.5 1.5 0 0 1 1.5 1.5v4a1.5 1.5 0 0 1 -1.5 1.5h-14a1.5 1.5 0 0 1 -1.5 -1.5v-4a1.5 1.5 0 0 1 1.5 -1.5zM7 7.5h.01M7 16.5h.01',
  send: 'M20.5 3.5 10 14M20.5 3.5 14 20.5l-4-6.5-6.5-4z',
  user: 'M8.5 8a3.5 3.5 0 1 0 7 0a3.5 3.5 0 1 0 -7 0zM5 20c.8-3.8 3.6-6 7-6s6.2 2.2 7 6',
  file: 'M14 3.5H7A1.5 1.5 0 0 0 5.5 5v14A1.5 1.5 0 0 0 7 20.5h10a1.5 1.5 0 0 0 1.5-1.5V8zM14 3.5V8h4.5M9 13h6M9 16.5h6',
  sparkle: 'M12 3.5 13.8 9 19.5 10.8 13.8 12.6 12 18.5 10.2 12.6 4.5 10.8 10.2 9zM18.5 16l.7 2 2 .7-2 .7-.7 2-.7-2-2-.7 2-.7z',
  alert: 'M3.5 12a8.5 8.5 0 1 0 17 0a8.5 8.5 0 1 0 -17 0zM12 7.5v5.5M12 16.5h.01',
  key: 'M4 15a4 4 0 1 0 8 0a4 4 0 1 0 -8 0zM11 12l8.5-8.5M16 7l2.5 2.5M14 9l2 2',
  compose: 'M12 4.5H6A1.5 1.5 0 0 0 4.5 6v12A1.5 1.5 0 0 0 6 19.5h12a1.5 1.5 0 0 0 1.5-1.5v-6M17.6 3.9a1.6 1.6 0 0 1 2.3 2.3L12 14.1l-3 .8.8-3z',
  outbox: 'M4 13.5h4.2l1.3 2.5h5l1.3-2.5H20M6.2 8 4 13.5v4A1.5 1.5 0 0 0 5.5 19h13a1.5 1.5 0 0 0 1.5-1.5v-4L17.8 8M12 3.5v8M9 6.5l3-3 3 3',
  clock: 'M3.5 12a8.5 8.5 0 1 0 17 0a8.5 8.5 0 1 0 -17 0zM12 7.5V12l3 2',
  retry: 'M19.5 12a7.5 7.5 0 1 1-2.2-5.3M19.5 4.5v4h-4',
  undo: 'M9 14.5 4.5 10 9 5.5M4.5 10H14a5.5 5.5 0 0 1 0 11h-3',
  wifiOff: 'M3.5 3.5l17 17M8.6 13.1a5 5 0 0 1 3.4-1.1M5.2 9.9a10 10 0 0 1 4-2.2M13.8 7.3a10 10 0 0 1 5 2.6M15.9 12.6l-.3-.3M12 17.5h.01',
  chevronRight: 'M9.5 6l6 6-6 6',
  cloudCheck: 'M7 18.5a4.5 4.5 0 0 1-.6-9 6 6 0 0 1 11.4 1.6A3.8 3.8 0 0 1 17 18.5zM9.5 13.8l1.8 1.8 3.4-3.6',
  pause: 'M9 5.5v13M15 5.5v13',
  inbox: 'M4 13.5h4.2l1.3 2.5h5l1.3-2.5H20M6.2 5.5h11.6L20 13.5v4a1.5 1.5 0 0 1-1.5 1.5h-13A1.5 1.5 0 0 1 4 17.5v-4z',
  reply: 'M10 6.5 4.5 12l5.5 5.5M4.5 12H14a5.5 5.5 0 0 1 5.5 5.5v1',
  replyAll: 'M8 6.5 2.5 12 8 17.5M13 6.5 7.5 12l5.5 5.5M7.5 12h8a5 5 0 0 1 5 5v1.5',
  forward: 'M14 6.5 19.5 12 14 17.5M19.5 12H10a5.5 5.5 0 0 0-5.5 5.5v1',
  paperclip: 'M19 11.5l-7.1 7.1a4.6 4.6 0 0 1-6.5-6.5l7.4-7.4a3 3 0 0 1 4.3 4.3l-7.4 7.4a1.5 1.5 0 0 1-2.1-2.1l6.8-6.8',
  download: 'M12 4v11M7.5 10.5 12 15l4.5-4.5M4.5 19.5h15',
  image: 'M5.5 4.5h13a2 2 0 0 1 2 2v11a2 2 0 0 1 -2 2h-13a2 2 0 0 1 -2 -2v-11a2 2 0 0 1 2 -2zM7.4 10a1.6 1.6 0 1 0 3.2 0a1.6 1.6 0 1 0 -3.2 0zM4 17.5l5-5 4 4 2.5-2.5 4.5 4.5',
  keyboard: 'M4.5 6h15a2 2 0 0 1 2 2v8a2 2 0 0 1 -2 2h-15a2 2 0 0 1 -2 -2v-8a2 2 0 0 1 2 -2zM6 9.5h.01M9 9.5h.01M12 9.5h.01M15 9.5h.01M18 9.5h.01M7 14.5h10',
  eyeOff: 'M3.5 3.5l17 17M10.6 6.1A9 9 0 0 1 12 6c5 0 8.5 6 8.5 6a15 15 0 0 1-2.6 3.2M6.6 7.6A15 15 0 0 0 3.5 12s3.5 6 8.5 6a8 8 0 0 0 3.9-1M9.9 10a3 3 0 0 0 4.1 4.2',
  play: 'M8 5.5v13l10.5-6.5z',
  zap: 'M13 3 5 13.5h6L10.5 21 19 10.5h-6z',
  steps: 'M4 6h6M4 12h10M4 18h16M12.4 6a1.6 1.6 0 1 0 3.2 0a1.6 1.6 0 1 0 -3.2 0zM16.4 12a1.6 1.6 0 1 0 3.2 0a1.6 1.6 0 1 0 -3.2 0z',
  // flows (issue 16): a branching graph, a decision and the end of a path
  flow: 'M10 3.5h4a1 1 0 0 1 1 1v2.5a1 1 0 0 1 -1 1h-4a1 1 0 0 1 -1 -1v-2.5a1 1 0 0 1 1 -1zM4.5 16h4a1 1 0 0 1 1 1v2.5a1 1 0 0 1 -1 1h-4a1 1 0 0 1 -1 -1v-2.5a1 1 0 0 1 1 -1zM15.5 16h4a1 1 0 0 1 1 1v2.5a1 1 0 0 1 -1 1h-4a1 1 0 0 1 -1 -1v-2.5a1 1 0 0 1 1 -1zM12 8v4M6.5 16v-2a2 2 0 0 1 2-2h7a2 2 0 0 1 2 2v2',
  split: 'M12 3.5 20.5 12 12 20.5 3.5 12z',
  flag: 'M5.5 21V4M5.5 4.5h11l-2.5 4 2.5 4h-11',
  chart: 'M4 20V4M4 20h16M8 16v-5M12 16V8M16 16v-3M20 16V6',
  calendar: 'M6 5.5h12a2 2 0 0 1 2 2v10.5a2 2 0 0 1 -2 2h-12a2 2 0 0 1 -2 -2v-10.5a2 2 0 0 1 2 -2zM4 10h16M8.5 3.5v4M15.5 3.5v4',
  eye: 'M2.5 12S6 5.5 12 5.5 21.5 12 21.5 12 18 18.5 12 18.5 2.5 12 2.5 12zM9.2 12a2.8 2.8 0 1 0 5.6 0a2.8 2.8 0 1 0 -5.6 0z',
  braces: 'M9 4.5c-2 0-2.5 1-2.5 2.5v2.5c0 1.2-.8 2.5-2 2.5 1.2 0 2 1.3 2 2.5V17c0 1.5.5 2.5 2.5 2.5M15 4.5c2 0 2.5 1 2.5 2.5v2.5c0 1.2.8 2.5 2 2.5-1.2 0-2 1.3-2 2.5V17c0 1.5-.5 2.5-2.5 2.5',
  funnel: 'M4 5h16l-6 7.5V19l-4-2v-4.5z',
  // triage (inbox toolbar, rows, folders, move picker)
  archive: 'M4.5 4.5h15a1 1 0 0 1 1 1v2a1 1 0 0 1 -1 1h-15a1 1 0 0 1 -1 -1v-2a1 1 0 0 1 1 -1zM5 8.5V18a1.5 1.5 0 0 0 1.5 1.5h11A1.5 1.5 0 0 0 19 18V8.5M10 12.5h4',
  star: 'M12 4l2.4 5 5.4.6-4 3.7 1.1 5.3L12 16l-4.9 2.6 1.1-5.3-4-3.7 5.4-.6z',
  folder: 'M3.5 7.5A1.5 1.5 0 0 1 5 6h4l2 2h8a1.5 1.5 0 0 1 1.5 1.5v8A1.5 1.5 0 0 1 19 19H5a1.5 1.5 0 0 1-1.5-1.5z',
  spam: 'M8.5 3.5h7l5 5v7l-5 5h-7l-5-5v-7zM12 8v4.5M12 15.8v.2',
  more: 'M5 12a1 1 0 1 0 2 0a1 1 0 1 0 -2 0zM11 12a1 1 0 1 0 2 0a1 1 0 1 0 -2 0zM17 12a1 1 0 1 0 2 0a1 1 0 1 0 -2 0z',
  read: 'M3.5 10 12 4.5l8.5 5.5v8.5A1.5 1.5 0 0 1 19 20H5a1.5 1.5 0 0 1-1.5-1.5zM3.5 10l8.5 5.5 8.5-5.5',
  sent: 'M4 12 20 4l-5 16-3.5-6.5zM11.5 13.5 20 4',
} satisfies Record<string, string>

export type IconName = keyof typeof paths

/** `filled` paints the shape (a starred row's star). */
export function Icon({ name, size = 16, className, filled = false }: IconProps & { name: IconName; filled?: boolean }): JSX.Element {
  return (
    <svg
      className={className ? `icon ${className}` : 'icon'}
      width={size}
      height={size}
      viewBox="0 0 24 24"
      fill={filled ? 'currentColor' : 'none'}
      stroke="currentColor"
      strokeWidth={1.7}
      strokeLinecap="round"
      strokeLinejoin="round"
      aria-hidden="true"
      focusable="false"
    >
      <path d={paths[name]} />
    </svg>
  )
}
