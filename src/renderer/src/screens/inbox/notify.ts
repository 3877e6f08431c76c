// The new-mail notice: an in-app toast that opens the conversation, plus a desktop notification when the
// user allowed them. Bursts (a first sync, a busy minute) fold into one notice.
import { addressLabel } from '../../lib/inbox'
import { plural } from '../../lib/format'
import { navigate } from '../../lib/router'
import { rpc } from '../../rpc'
import { useApp } from '../../store'

const QUIET_MS = 1500
let pending = 0
let threads: number[] = []
let timer: ReturnType<typeof setTimeout> | undefined

export function notifyNewMail(count: number, threadIds: number[]): void {
  pending += count
  threads = [...new Set([...threadIds, ...threads])]
  clearTimeout(timer)
  timer = setTimeout(flush, QUIET_MS)
}

async function flush(): Promise<void> {
  const count = pending
  const first = threads[0]
  pending = 0
  threads = []
  if (count === 0) return
  let title = count === 1 ? 'New message' : `${plural(count, 'new message')}`
  let body = ''
  if (count === 1 && first) {
    try {
      const { thread } = await rpc('threads.get', { id: first })
      title = `New mail from ${addressLabel(thread.latest.from)}`
      body = thread.subject || '(no subject)'
    } catch {
      /* the words stay generic */
    }
  }
  const open = () => navigate(first && count === 1 ? { name: 'inbox', id: first } : { name: 'inbox' })
  useApp.getState().toast('success', body ? `${title}: ${body}` : title, { duration: 6000, action: { label: 'Open', run: open } })
  if (typeof Notification !== 'undefined' && Notification.permission === 'granted' && document.visibilityState !== 'visible') {
    const n = new Notification(title, { body, tag: 'switchboard-new-mail', silent: false })
    n.onclick = () => (window.focus(), open(), n.close())
  }
}

/** Asks for desktop notifications (needs a click: browsers ignore prompts that come from nowhere). */
export async function askNotificationPermission(): Promise<NotificationPermission | 'unsupported'> {
  if (typeof Notification === 'undefined') return 'unsupported'
  return Notification.requestPermission()
}

export const notificationPermission = (): NotificationPermission | 'unsupported' => (typeof Notification === 'undefined' ? 'unsupported' : Notification.permission)
