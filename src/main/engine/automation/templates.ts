// Templates: Handlebars in strict mode over the seeds' snake_case variables (ARCHITECTURE §6).
// A template is checked when it is saved (unknown variables, syntax), and again per contact when it is
// rendered: a variable the contact does not have is an error, so nothing ever goes out with a blank.
import Handlebars from 'handlebars'
import { htmlToText } from '../../../shared/htmlText'
import { AppError } from '../../../shared/result'
import type { Ctx } from '../context'
import { localDay } from '../outbound/localDay'
import { cleanTemplateHtml, mustacheInTag } from '../outbound/outgoingHtml'
import type { ContactRow, ObjectRow } from '../repos/templates'

const hb = Handlebars.create()

const isBlank = (v: unknown) => v === undefined || v === null || v === ''
type HelperOptions = { data?: { root?: unknown; now?: number; tz?: string }; hash?: Record<string, unknown> }

/** {{default contact.first_name "there"}}: the value, or the fallback when it is missing or empty. */
hb.registerHelper('default', (value: unknown, fallback: unknown) => (isBlank(value) ? fallback : value))
/**
 * {{date}} today, {{date contact.fields.renewal}} a YYYY-MM-DD or ISO value, with an optional style:
 * "long" (23 November 2026, the default), "short" (23/11/2026), "iso" (2026-11-23). In the object's time zone.
 */
hb.registerHelper('date', function (...args: unknown[]) {
  const options = args.pop() as HelperOptions
  const [value, style] = args as [unknown, unknown]
  const tz = options.data?.tz ?? 'UTC'
  let ms: number
  if (isBlank(value)) ms = options.data?.now ?? Date.now()
  else if (typeof value === 'number') ms = value
  else {
    const s = String(value)
    ms = Date.parse(/^\d{4}-\d{2}-\d{2}$/.test(s) ? `${s}T12:00:00Z` : s)
    if (Number.isNaN(ms)) return s
  }
  if (style === 'iso') return localDay(ms, tz)
  const dateStyle = style === 'short' ? 'short' : 'long'
  return new Intl.DateTimeFormat('en-GB', { dateStyle, timeZone: tz }).format(ms)
})
/** {{upper x}}, {{lower x}}, {{capitalize x}} for names typed in any case. */
hb.registerHelper('upper', (v: unknown) => (isBlank(v) ? '' : String(v).toUpperCase()))
hb.registerHelper('lower', (v: unknown) => (isBlank(v) ? '' : String(v).toLowerCase()))
hb.registerHelper('capitalize', (v: unknown) => (isBlank(v) ? '' : String(v).charAt(0).toUpperCase() + String(v).slice(1)))

const HELPERS = new Set(['default', 'date', 'upper', 'lower', 'capitalize', 'if', 'unless', 'with', 'each'])
const KNOWN: Record<string, Set<string> | null> = {
  contact: new Set(['first_name', 'last_name', 'full_name', 'email', 'company', 'phone', 'timezone', 'fields']),
  object: new Set(['name', 'postal_address']),
  // The UI says "business" where the engine says "object": templates may use either name.
  business: new Set(['name', 'postal_address']),
  profile: new Set(['display_name', 'email']),
  unsubscribe_url: null,
}
export const TEMPLATE_VARIABLES = [
  'contact.first_name', 'contact.last_name', 'contact.full_name', 'contact.email', 'contact.company', 'contact.phone',
  'contact.fields.<name>', 'business.name', 'business.postal_address', 'profile.display_name', 'profile.email', 'unsubscribe_url',
]

interface Compiled {
  render: (vars: TemplateVars, data: { now: number; tz: string }) => string
  /** Paths printed on their own ({{contact.first_name}}): each must have a value. Helper arguments may be missing. */
  required: string[][]
}

const cache = new Map<string, Compiled>()
const NO_EXTRA: readonly string[] = []
const CACHE_MAX = 500

type Node = { type: string; [k: string]: unknown }
type PathNode = { type: 'PathExpression'; parts: string[]; original: string; data?: boolean; depth?: number }

const TAG_ENTITIES: Record<string, string> = { quot: '"', apos: "'", '#39': "'", '#34': '"', amp: '&', lt: '<', gt: '>', nbsp: ' ' }

/**
 * An HTML body is written as text by the user and escaped by whatever editor turned it into HTML, so
 * `{{default contact.first_name "there"}}` arrives as `{{default contact.first_name &quot;there&quot;}}`
 * (or with &#39;, non-breaking spaces, or markup a rich editor put inside the braces). Inside `{{…}}`
 * only, undo that, so the body parses exactly as the subject does; text outside the tags is untouched.
 */
export function unescapeTags(html: string): string {
  return html.replace(/\{\{[\s\S]*?\}\}\}?/g, (tag) =>
    tag
      .replace(/<[^>{}]*>/g, '')
      .replace(/&(quot|apos|#39|#34|amp|lt|gt|nbsp);/gi, (_, e: string) => TAG_ENTITIES[e.toLowerCase()]!)
      .replace(/\u00a0/g, ' ')
      .replace(/[\u201c\u201d]/g, '"')
      .replace(/[\u2018\u2019]/g, "'"),
  )
}

/** Handlebars' parser error ("Parse error on line 1: … Expecting 'ID'") said in words, with the line. */
function syntaxWords(message: string): string {
  const line = /line (\d+)/.exec(message)?.[1]
  const where = line ? ` on line ${line}` : ''
  if (/doesn't match|not closed|unclosed/i.test(message)) return `A {{#block}} is not closed${where}: end it with its {{/name}}`
  return `A {{…}} variable cannot be read${where}: check that every {{ has its }}, and that fallback text is in straight quotes, like {{default contact.first_name "there"}}`
}

/** Parses and checks a template once; cached by source (templates are re-rendered for every contact). */
export function compile(raw: string, field: string, html = true, extra: readonly string[] = NO_EXTRA): Compiled {
  const key = (html ? 'h:' : 't:') + (extra.length ? `${extra.join(',')}:` : '') + raw
  const hit = cache.get(key)
  if (hit) return hit
  const source = html ? unescapeTags(raw) : raw
  let ast: Node
  try {
    ast = hb.parse(source) as unknown as Node
  } catch (err) {
    throw new AppError('VALIDATION', syntaxWords((err as Error).message), field)
  }
  const required: string[][] = []
  walk(ast, field, required, 0, extra)
  // A subject is plain text: escaping it would put "&amp;" in the inbox.
  const fn = hb.compile(source, { strict: true, noEscape: !html })
  const compiled: Compiled = { render: (vars, data) => fn(vars, { data }), required }
  if (cache.size >= CACHE_MAX) cache.delete(cache.keys().next().value!)
  cache.set(key, compiled)
  return compiled
}

function checkPath(p: PathNode, field: string, scoped: number, extra: readonly string[]): void {
  if (p.data || scoped > 0 || p.original === 'this' || p.original === '.') return // @index, {{this}} inside #each/#with
  const [root, key] = p.parts
  if (root === undefined) return
  // A saved template's declared custom variables ({{order_id}}): plain values, no sub-keys.
  if (extra.includes(root)) {
    if (p.parts.length > 1) throw new AppError('VALIDATION', `Unknown variable {{${p.original}}}: {{${root}}} is a plain value`, field)
    return
  }
  if (!(root in KNOWN)) throw new AppError('VALIDATION', `Unknown variable {{${p.original}}}. Use one of: ${TEMPLATE_VARIABLES.join(', ')}`, field)
  const keys = KNOWN[root]
  if (keys === null) {
    if (p.parts.length > 1) throw new AppError('VALIDATION', `Unknown variable {{${p.original}}}`, field)
    return
  }
  if (key === undefined || !keys.has(key)) throw new AppError('VALIDATION', `Unknown variable {{${p.original}}}. Use one of: ${TEMPLATE_VARIABLES.join(', ')}`, field)
  if (key === 'fields' && p.parts.length !== 3) throw new AppError('VALIDATION', `Name the custom field: {{contact.fields.<name>}}`, field)
  if (key !== 'fields' && p.parts.length > 2) throw new AppError('VALIDATION', `Unknown variable {{${p.original}}}`, field)
}

function walk(node: unknown, field: string, required: string[][], scoped: number, extra: readonly string[]): void {
  if (!node || typeof node !== 'object') return
  if (Array.isArray(node)) {
    for (const n of node) walk(n, field, required, scoped, extra)
    return
  }
  const n = node as Node
  if (n.type === 'MustacheStatement' || n.type === 'SubExpression' || n.type === 'BlockStatement') {
    const path = n.path as PathNode
    const params = (n.params as Node[] | undefined) ?? []
    const hash = (n.hash as { pairs?: Array<{ value: Node }> } | undefined)?.pairs ?? []
    const isHelper = path.type === 'PathExpression' && (params.length > 0 || hash.length > 0 || n.type === 'BlockStatement' || HELPERS.has(path.original))
    if (isHelper) {
      if (path.type === 'PathExpression' && !HELPERS.has(path.original))
        throw new AppError('VALIDATION', `Unknown helper "${path.original}". Helpers: ${[...HELPERS].join(', ')}`, field)
      for (const p of [...params, ...hash.map((h) => h.value)]) {
        if (p.type === 'PathExpression') checkPath(p as unknown as PathNode, field, scoped, extra)
        else walk(p, field, required, scoped, extra)
      }
      const inner = path.original === 'each' || path.original === 'with' ? scoped + 1 : scoped
      walk(n.program, field, required, inner, extra)
      walk(n.inverse, field, required, scoped, extra)
    } else if (path.type === 'PathExpression') {
      checkPath(path, field, scoped, extra)
      if (scoped === 0 && !path.data) required.push(path.parts)
    }
    return
  }
  if (n.type === 'Program') walk(n.body, field, required, scoped, extra)
  else if (n.type === 'PartialStatement' || n.type === 'PartialBlockStatement' || n.type === 'DecoratorBlock' || n.type === 'Decorator')
    throw new AppError('VALIDATION', 'Partials and decorators are not supported in templates', field)
}

/** Save-time check of a subject + body pair. */
export function validateTemplate(subject: string, html: string, prefix: string): void {
  compile(subject, `${prefix}subject`, false)
  compile(html, `${prefix}bodyHtml`)
}

// ---------- variables of one contact ----------
export interface TemplateVars {
  contact: { first_name: string; last_name: string; full_name: string; email: string; company: string; phone: string; timezone: string; fields: Record<string, string> }
  object: { name: string; postal_address: string }
  business: { name: string; postal_address: string }
  profile: { display_name: string; email: string }
  unsubscribe_url: string
}

export interface Sender {
  objectId: number
  email: string
  displayName: string
  replyTo: string | null
}

/**
 * Where a contact unsubscribes: the object's own https page (with the address appended) when it has one,
 * else a mailto to the sender ("unsubscribe <address>"), which the inbound store turns into an unsubscribe of
 * the address that sent it (inbound/classify.ts isUnsubscribeRequest).
 */
export function unsubscribeTargets(object: ObjectRow, sender: Sender, contact: { id: number; email: string | null }): { url: string; mailto: string } {
  const to = sender.replyTo || sender.email
  const mailto = `mailto:${to}?subject=${encodeURIComponent(`unsubscribe ${contact.email ?? ''}`.trim())}`
  if (object.unsubscribeUrl) {
    const u = new URL(object.unsubscribeUrl)
    if (contact.email) u.searchParams.set('email', contact.email)
    u.searchParams.set('c', String(contact.id))
    return { url: u.toString(), mailto }
  }
  return { url: mailto, mailto }
}

export function varsOf(contact: ContactRow, object: ObjectRow, sender: Sender, unsubscribeUrl: string): TemplateVars {
  let fields: Record<string, string> = {}
  try {
    fields = JSON.parse(contact.fieldsJson) as Record<string, string>
  } catch {
    /* a broken JSON column reads as no fields */
  }
  return {
    contact: {
      first_name: contact.firstName,
      last_name: contact.lastName,
      full_name: `${contact.firstName} ${contact.lastName}`.trim(),
      email: contact.email ?? '',
      company: contact.company,
      phone: contact.phone,
      timezone: contact.timezone ?? object.timezone,
      fields,
    },
    object: { name: object.name, postal_address: object.postalAddress },
    business: { name: object.name, postal_address: object.postalAddress },
    profile: { display_name: sender.displayName, email: sender.email },
    unsubscribe_url: unsubscribeUrl,
  }
}

/** The reason a rendering would be blank, or null. */
export function missingOf(c: Compiled, vars: TemplateVars): string | null {
  for (const parts of c.required) {
    let v: unknown = vars
    for (const p of parts) v = v && typeof v === 'object' ? (v as Record<string, unknown>)[p] : undefined
    if (isBlank(v)) return parts.join('.')
  }
  return null
}

export function renderOne(source: string, field: string, vars: TemplateVars, data: { now: number; tz: string }, html = true): string {
  const c = compile(source, field, html)
  const missing = missingOf(c, vars)
  if (missing) {
    const who = vars.contact.full_name || vars.contact.email || 'this contact'
    throw new AppError('VALIDATION', `The template uses {{${missing}}}, which is empty for ${who} (use {{default ${missing} "…"}} for a fallback)`, field)
  }
  try {
    return c.render(vars, data)
  } catch (err) {
    throw new AppError('VALIDATION', `Template: ${(err as Error).message.split('\n')[0]}`, field)
  }
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')

/** The object's footer (CAN-SPAM: who is writing, from where, and how to stop it). */
export function footerHtml(object: ObjectRow, unsubscribeUrl: string): string {
  const address = object.postalAddress ? ` · ${esc(object.postalAddress)}` : ''
  return (
    `<div style="margin-top:28px;padding-top:12px;border-top:1px solid #e2e5ea;font-size:12px;line-height:1.5;color:#6b7280">` +
    `${esc(object.name)}${address}<br><a href="${esc(unsubscribeUrl)}" style="color:#6b7280">Unsubscribe</a> from these emails.</div>`
  )
}

/**
 * The footer's text part, worked out once per business and kind of link: only its URL changes from contact to
 * contact, and htmlToText decodes exactly what esc() encoded, so the URL goes in as it is (test/footerText.test.ts
 * compares it with htmlToText of the footer).
 */
const footerTexts = new Map<string, string>()
const URL_MARK = '\u0001url\u0001'
export function footerText(object: ObjectRow, unsubscribeUrl: string): string {
  const kind = unsubscribeUrl.startsWith('mailto:') ? 'mailto:' : 'https://'
  const key = `${kind}\u0000${object.name}\u0000${object.postalAddress}`
  let t = footerTexts.get(key)
  if (t === undefined) {
    t = htmlToText(footerHtml(object, `${kind}${URL_MARK}`))
    if (footerTexts.size >= CACHE_MAX) footerTexts.delete(footerTexts.keys().next().value!)
    footerTexts.set(key, t)
  }
  return t.replace(`${kind}${URL_MARK}`, () => unsubscribeUrl)
}

export interface Rendered {
  subject: string
  html: string
  text: string
  headers: Record<string, string>
  /** Every {{…}} of the body stands in text, so the rendered HTML needs no second sanitising (queue.ts). */
  clean: boolean
}

/**
 * A body cleaned like composed mail, once per template rather than once per contact. Its variables print
 * escaped, so a body whose every {{…}} stands in text renders clean; one inside a tag (an href) could still
 * become a javascript: link from a contact's field, so the outbox sanitises that row again.
 */
const preparedBodies = new Map<string, { html: string; clean: boolean }>()
function preparedBody(raw: string): { html: string; clean: boolean } {
  let p = preparedBodies.get(raw)
  if (!p) {
    const html = cleanTemplateHtml(raw)
    p = { html, clean: !mustacheInTag(html) }
    if (preparedBodies.size >= CACHE_MAX) preparedBodies.delete(preparedBodies.keys().next().value!)
    preparedBodies.set(raw, p)
  }
  return p
}

/**
 * Renders subject and body for one contact from one sender, adds the footer, the text alternative and
 * the List-Unsubscribe headers. Throws VALIDATION (field = subjectField / htmlField) when a variable is missing.
 */
export function renderFor(
  ctx: Ctx,
  t: { subject: string; html: string; subjectField: string; htmlField: string },
  contact: ContactRow,
  object: ObjectRow,
  sender: Sender,
): Rendered {
  const unsub = unsubscribeTargets(object, sender, contact)
  const vars = varsOf(contact, object, sender, unsub.url)
  const data = { now: ctx.clock.now(), tz: contact.timezone ?? object.timezone }
  const subject = renderOne(t.subject, t.subjectField, vars, data, false).replace(/\s*[\r\n]+\s*/g, ' ').trim()
  if (!subject) throw new AppError('VALIDATION', 'The subject renders empty for this contact', t.subjectField)
  const prepared = preparedBody(t.html)
  const body = renderOne(prepared.html, t.htmlField, vars, data)
  // The body's text is worked out once: the empty check and the text part (the footer's text follows it).
  const bodyText = htmlToText(body)
  if (!bodyText.trim()) throw new AppError('VALIDATION', 'The message renders empty for this contact', t.htmlField)
  const footer = footerHtml(object, unsub.url)
  const html = body + footer
  const headers: Record<string, string> = {}
  if (unsub.url.startsWith('https:')) {
    headers['List-Unsubscribe'] = `<${unsub.url}>, <${unsub.mailto}>`
    headers['List-Unsubscribe-Post'] = 'List-Unsubscribe=One-Click'
  } else headers['List-Unsubscribe'] = `<${unsub.mailto}>`
  return { subject, html, text: `${bodyText}\n\n${footerText(object, unsub.url)}`, headers, clean: prepared.clean }
}

// ---------- texts (issue 17 item 7): SMS and WhatsApp steps of sequences and autoresponders ----------
/** Save-time check of a text's body: plain text (nothing is escaped), the same variables as mail. */
export function validateText(body: string, field: string): void {
  compile(body, field, false)
}

export interface RenderedText {
  /** The text's words for this contact (null when a template is sent instead). */
  body: string | null
  /** A WhatsApp template's variables, each filled for this contact. */
  variables: Record<string, string>
}

/**
 * A text's body (and a WhatsApp template's variable values) for one contact, with the same variables as
 * mail; `{{profile.*}}` comes from the business's active profile when there is one. A variable the contact
 * does not have is the same VALIDATION error as in mail: the step is skipped, never sent blank.
 */
export function renderText(
  ctx: Ctx,
  t: { body: string | null; variables: Record<string, string>; field: string },
  contact: ContactRow,
  object: ObjectRow,
  sender: Sender | null,
): RenderedText {
  const vars = varsOf(contact, object, sender ?? { objectId: object.id, email: '', displayName: '', replyTo: null }, '')
  const data = { now: ctx.clock.now(), tz: contact.timezone ?? object.timezone }
  const variables: Record<string, string> = {}
  for (const [k, v] of Object.entries(t.variables)) variables[k] = renderOne(v, t.field, vars, data, false)
  if (t.body === null) return { body: null, variables }
  const body = renderOne(t.body, t.field, vars, data, false).trim()
  if (!body) throw new AppError('VALIDATION', 'The text renders empty for this contact', t.field)
  if (body.length > 1600) throw new AppError('VALIDATION', `The text is ${body.length} characters for this contact; a text can be 1,600 at most`, t.field)
  return { body, variables }
}
