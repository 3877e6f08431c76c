// The plain-text alternative of an HTML body: every message goes out multipart/alternative, because some
// clients (and spam filters) read only the text part.
const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ', '#39': "'" }

export function htmlToText(html: string): string {
  return listsAndImagesToText(html)
    .replace(/<(script|style|head)[\s\S]*?<\/\1>/gi, '')
    .replace(/<a\s[^>]*href\s*=\s*["']([^"']+)["'][^>]*>([\s\S]*?)<\/a>/gi, (_, href: string, label: string) => {
      const text = label.replace(/<[^>]+>/g, '').trim()
      return text && text !== href && !href.startsWith('mailto:') ? `${text} (${href})` : text || href
    })
    .replace(/<br\s*\/?>/gi, '\n')
    .replace(/<li[^>]*>/gi, '\n• ')
    .replace(/<\/(p|div|h[1-6]|tr|blockquote|ul|ol|table)>/gi, '\n\n')
    .replace(/<[^>]+>/g, '')
    .replace(/&(#\d+|#x[0-9a-f]+|\w+);/gi, (m, e: string) => {
      if (e[0] === '#') {
        const code = e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10)
        return Number.isFinite(code) && code > 0 && code < 0x110000 ? String.fromCodePoint(code) : m
      }
      return ENTITIES[e.toLowerCase()] ?? m
    })
    .replace(/[ \t]+\n/g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .replace(/[ \t]{2,}/g, ' ')
    .trim()
}

// ---- lists and images (rich editor output): numbered items, nesting by bullet, an image by its alt text ----
const BULLETS = ['•', '◦', '▪']
// One pass with a stack of open lists, so a hostile body with thousands of nested lists stays linear.
function listsAndImagesToText(html: string): string {
  const stack: Array<{ ordered: boolean; n: number }> = []
  return html.replace(/<(\/?)(ul|ol|li|img)\b([^>]*)>/gi, (_m, close: string, tag: string, attrs: string) => {
    const name = tag.toLowerCase()
    if (name === 'img') {
      const alt = /\balt\s*=\s*(?:"([^"]*)"|'([^']*)')/i.exec(attrs)
      const text = (alt?.[1] ?? alt?.[2] ?? '').trim()
      return text ? `[${text}]` : ''
    }
    if (name === 'li') {
      if (close) return ''
      const top = stack[stack.length - 1]
      // Runs of spaces are collapsed below, so depth shows in the bullet, not an indent.
      return top?.ordered ? `\n${++top.n}. ` : `\n${BULLETS[Math.min(stack.length, 3) - 1] ?? '•'} `
    }
    if (close) {
      stack.pop()
      return stack.length ? '' : '\n\n'
    }
    stack.push({ ordered: name === 'ol', n: Number(/\bstart\s*=\s*["']?(\d+)/i.exec(attrs)?.[1] ?? 1) - 1 })
    return stack.length > 1 ? '' : '\n'
  })
}
