// templates.*: the library of saved templates per business (issue 18, seed 004) and the preview of unsaved
// ones. A version is never changed: an edit appends the next one, and a message queued from a template keeps
// the content it was rendered with (and the version it pinned). Rendering is automation/templates.ts.
import type { z } from 'zod'
import type { TemplatePreview, TemplatePreviewInput } from '../../../shared/automation'
import { htmlToText } from '../../../shared/htmlText'
import { AppError } from '../../../shared/result'
import type { DeleteTemplate, NewTemplate, RenderTemplate, Template, TemplatePatch, TemplateSummary, VariableValues } from '../../../shared/templates'
import { iso } from '../clock'
import type { Ctx } from '../context'
import { inTransaction } from '../db/stmt'
import { profileById, senderFor, type SenderProfile } from '../automation/sender'
import { compile, footerHtml, missingOf, renderFor, unescapeTags, unsubscribeTargets, varsOf, type Sender, type TemplateVars } from '../automation/templates'
import { cleanTemplateHtml } from '../outbound/outgoingHtml'
import * as repo from '../repos/templates'
import { contactRow, objectRow, type ContactRow, type ObjectRow } from '../repos/templates'

/** A variable the contact lacks is a VALIDATION error on `subject` or `html`. */
export function previewTemplate(ctx: Ctx, input: z.output<typeof TemplatePreviewInput>): z.output<typeof TemplatePreview> {
  const { subject, html, contactId, profileId } = input
  const contact = contactRow(ctx, contactId)
  if (!contact) throw new AppError('NOT_FOUND', `Contact ${contactId} does not exist`, 'contactId')
  const profile = pickProfile(ctx, profileId, contact.primaryObjectId)
  const object = objectRow(ctx, profile.objectId)!
  const { subject: s, html: h, text, headers } = renderFor(ctx, { subject, html, subjectField: 'subject', htmlField: 'html' }, contact, object, profile)
  return { subject: s, html: h, text, headers }
}

function pickProfile(ctx: Ctx, profileId: number | undefined, objectId: number | null): SenderProfile {
  if (profileId !== undefined) {
    const profile = profileById(ctx, profileId)
    if (!profile) throw new AppError('NOT_FOUND', `Sender profile ${profileId} does not exist`, 'profileId')
    return profile
  }
  const s = senderFor(ctx, objectId)
  if (!s.ok) throw new AppError('VALIDATION', s.error, 'contactId')
  return s.profile
}

// ---------- the library ----------
const parseVars = (json: string): string[] => {
  try {
    return JSON.parse(json) as string[]
  } catch {
    return []
  }
}

function summaryOf(ctx: Ctx, t: repo.TemplateRow, subject: string, variablesJson: string): TemplateSummary {
  return {
    id: t.id,
    objectId: t.objectId,
    name: t.name,
    description: t.description,
    currentVersion: t.currentVersion,
    subject,
    variables: parseVars(variablesJson),
    pending: repo.pendingFromTemplate(ctx, t.id),
    updatedAt: iso(t.updatedAt),
  }
}

export function listTemplates(ctx: Ctx, q: { objectId?: number; query?: string }): TemplateSummary[] {
  return repo.templateList(ctx, q).map((t) => summaryOf(ctx, t, t.subject, t.variablesJson))
}

export function mustTemplate(ctx: Ctx, id: number, field = 'id'): repo.TemplateRow {
  const t = repo.templateRow(ctx, id)
  if (!t) throw new AppError('NOT_FOUND', `Template ${id} does not exist`, field)
  return t
}

export function mustVersion(ctx: Ctx, t: repo.TemplateRow, version: number | undefined, field = 'version'): repo.VersionRow {
  const v = repo.versionRow(ctx, t.id, version ?? t.currentVersion)
  if (!v) throw new AppError('NOT_FOUND', `“${t.name}” has no version ${version} (it has 1 to ${t.currentVersion})`, field)
  return v
}

export function getTemplate(ctx: Ctx, id: number, version?: number): Template {
  const t = mustTemplate(ctx, id)
  const v = mustVersion(ctx, t, version)
  const current = version === undefined || version === t.currentVersion ? v : mustVersion(ctx, t, undefined)
  return {
    ...summaryOf(ctx, t, current.subject, current.variablesJson),
    version: {
      id: v.id,
      templateId: t.id,
      version: v.version,
      subject: v.subject,
      html: v.html,
      text: v.text,
      textAuto: v.textAuto === 1,
      variables: parseVars(v.variablesJson),
      createdAt: iso(v.createdAt),
    },
    versions: repo.versionList(ctx, t.id).map((r) => ({ ...r, createdAt: iso(r.createdAt) })),
  }
}

interface Content {
  subject: string
  html: string
  text: string
  textAuto: boolean
  variables: string[]
}
/** Save-time checks: syntax, every variable known (built-in or declared), values always escaped. */
function checkContent(c: { subject: string; html: string; text?: string | null; variables: string[] }): Content {
  if (/\{\{\{|\{\{&/.test(c.html)) throw new AppError('VALIDATION', 'Use {{name}}, not {{{name}}}: values are always escaped in a template', 'html')
  compile(c.subject, 'subject', false, c.variables)
  compile(c.html, 'html', true, c.variables)
  // Stored clean, its {{…}} tags un-escaped first (an editor's &quot; inside them): a send does not pay the sanitiser per recipient.
  const html = cleanTemplateHtml(unescapeTags(c.html))
  const typed = c.text?.trim() ? c.text : null
  const text = typed ?? htmlToText(html)
  compile(text, 'text', false, c.variables)
  return { subject: c.subject, html, text, textAuto: typed === null, variables: c.variables }
}

function assertName(ctx: Ctx, objectId: number, name: string, exceptId: number | null) {
  if (repo.nameTaken(ctx, objectId, name, exceptId)) throw new AppError('CONFLICT', `This business already has a template called “${name}”`, 'name')
}

export function createTemplate(ctx: Ctx, input: NewTemplate): Template {
  if (!objectRow(ctx, input.objectId)) throw new AppError('NOT_FOUND', `Business ${input.objectId} does not exist`, 'objectId')
  const content = checkContent(input)
  const id = inTransaction(ctx.sqlite, () => {
    assertName(ctx, input.objectId, input.name, null)
    const now = ctx.clock.now()
    const id = repo.insertTemplate(ctx, input, now)
    repo.insertVersion(ctx, id, 1, content, now)
    return id
  })
  ctx.emit('templates.changed', {})
  return getTemplate(ctx, id)
}

export function updateTemplate(ctx: Ctx, input: z.output<typeof TemplatePatch>): Template {
  const t = mustTemplate(ctx, input.id)
  const cur = mustVersion(ctx, t, undefined)
  const touchesContent = input.subject !== undefined || input.html !== undefined || input.text !== undefined || input.variables !== undefined
  let content: Content | null = null
  if (touchesContent) {
    const variables = input.variables ?? parseVars(cur.variablesJson)
    // An untouched typed text part is kept; an auto one is made again from the new HTML.
    const text = input.text === undefined ? (cur.textAuto ? null : cur.text) : input.text
    content = checkContent({ subject: input.subject ?? cur.subject, html: input.html ?? cur.html, text, variables })
    const same = content.subject === cur.subject && content.html === cur.html && content.text === cur.text && JSON.stringify(variables) === cur.variablesJson
    if (same) content = null // saving without a change makes no new version
  }
  inTransaction(ctx.sqlite, () => {
    const now = ctx.clock.now()
    if (input.name !== undefined || input.description !== undefined) {
      if (input.name !== undefined) assertName(ctx, t.objectId, input.name, t.id)
      repo.updateTemplateMeta(ctx, t.id, input.name ?? t.name, input.description ?? t.description, now)
    }
    if (content) repo.insertVersion(ctx, t.id, t.currentVersion + 1, content, now)
  })
  ctx.emit('templates.changed', {})
  return getTemplate(ctx, t.id)
}

/**
 * Deleting hides the template (its versions stay for the outbox and analytics). Messages already queued from
 * it keep their content; while some are still waiting the user is asked first (CONFLICT until `confirm`).
 */
export function deleteTemplate(ctx: Ctx, input: z.output<typeof DeleteTemplate>): { id: number; deleted: true } {
  const t = mustTemplate(ctx, input.id)
  const pending = repo.pendingFromTemplate(ctx, t.id)
  if (pending && !input.confirm) {
    const n = pending === 1 ? '1 message' : `${pending.toLocaleString('en-US')} messages`
    throw new AppError('CONFLICT', `${n} from “${t.name}” ${pending === 1 ? 'is' : 'are'} still waiting to go out. They will still be sent as written. Delete the template anyway?`, 'confirm')
  }
  inTransaction(ctx.sqlite, () => repo.markTemplateDeleted(ctx, t.id, ctx.clock.now()))
  ctx.emit('templates.changed', {})
  return { id: t.id, deleted: true }
}

// ---------- rendering a saved template for many recipients ----------
export interface Prepared {
  template: repo.TemplateRow
  version: repo.VersionRow
  variables: string[]
  subject: ReturnType<typeof compile>
  html: ReturnType<typeof compile>
  text: ReturnType<typeof compile>
}
/** Compiles a saved version once; each recipient is then only a render. */
export function prepareTemplate(ctx: Ctx, templateId: number, version: number | undefined, field = 'templateId'): Prepared {
  const template = mustTemplate(ctx, templateId, field)
  const v = mustVersion(ctx, template, version)
  const variables = parseVars(v.variablesJson)
  return {
    template,
    version: v,
    variables,
    subject: compile(v.subject, 'subject', false, variables),
    html: compile(v.html, 'html', true, variables),
    text: compile(v.text, 'text', false, variables),
  }
}

/** A value for a variable the template does not declare is refused (strict both ways), naming it. */
export function checkValues(p: Prepared, values: VariableValues | undefined, field: string): void {
  for (const k of Object.keys(values ?? {}))
    if (!p.variables.includes(k)) {
      const known = p.variables.length ? `it declares ${p.variables.map((v) => `{{${v}}}`).join(', ')}` : 'it declares no variables'
      throw new AppError('VALIDATION', `Unknown variable “${k}”: the template “${p.template.name}” does not use it (${known})`, field)
    }
}

export type Rendered = { subject: string; html: string; text: string; headers: Record<string, string> }
/** Renders one recipient, or names the variable that has no value for them. */
export function renderPrepared(
  now: number,
  p: Prepared,
  contact: ContactRow,
  object: ObjectRow,
  sender: Sender,
  values: Record<string, string>,
  footer = true,
): { ok: true; r: Rendered } | { ok: false; missing: string } {
  const unsub = unsubscribeTargets(object, sender, contact)
  const vars = Object.assign(varsOf(contact, object, sender, unsub.url), values) as TemplateVars
  for (const c of [p.subject, p.html, p.text]) {
    const missing = missingOf(c, vars)
    if (missing) return { ok: false, missing }
  }
  const data = { now, tz: contact.timezone ?? object.timezone }
  const subject = p.subject.render(vars, data).replace(/\s*[\r\n]+\s*/g, ' ').trim()
  if (!subject) return { ok: false, missing: 'subject' }
  const body = p.html.render(vars, data)
  // Compose inserts a template into one-to-one mail: no list footer or unsubscribe headers there.
  if (!footer) return { ok: true, r: { subject, html: body, text: p.text.render(vars, data).trim(), headers: {} } }
  const html = body + footerHtml(object, unsub.url)
  const footerText = `${object.name}${object.postalAddress ? ` · ${object.postalAddress}` : ''}\nUnsubscribe: ${unsub.url}`
  const text = `${p.text.render(vars, data).trim()}\n\n--\n${footerText}\n`
  const headers: Record<string, string> = {}
  if (unsub.url.startsWith('https:')) {
    headers['List-Unsubscribe'] = `<${unsub.url}>, <${unsub.mailto}>`
    headers['List-Unsubscribe-Post'] = 'List-Unsubscribe=One-Click'
  } else headers['List-Unsubscribe'] = `<${unsub.mailto}>`
  return { ok: true, r: { subject, html, text, headers } }
}

/** Someone with an address and no contact row: every contact variable is empty. */
export const addressOnly = (email: string, objectId: number): ContactRow => ({
  id: 0,
  email,
  firstName: '',
  lastName: '',
  company: '',
  phone: '',
  timezone: null,
  fieldsJson: '{}',
  primaryObjectId: objectId,
} as unknown as ContactRow)

/** Every declared variable present ('' when not given), so a strict lookup never throws for a declared name. */
export const valuesFor = (p: Prepared, ...layers: Array<Record<string, string> | undefined>): Record<string, string> =>
  Object.assign(Object.fromEntries(p.variables.map((v) => [v, ''])), ...layers.filter(Boolean)) as Record<string, string>

/** templates.render: a saved version or unsaved content, for a contact, an address or a sample contact. */
export function renderTemplate(ctx: Ctx, input: z.output<typeof RenderTemplate>): TemplatePreview {
  let p: Prepared
  if (input.templateId !== undefined) p = prepareTemplate(ctx, input.templateId, input.version)
  else {
    if (input.subject === undefined || input.html === undefined) throw new AppError('VALIDATION', 'Give a templateId, or a subject and html to preview', 'templateId')
    const variables = input.variables ?? []
    const c = checkContent({ subject: input.subject, html: input.html, text: input.text, variables })
    const now = 0
    p = {
      template: { id: 0, objectId: 0, name: 'this template', description: '', currentVersion: 1, deletedAt: null, createdAt: now, updatedAt: now },
      version: { id: 0, templateId: 0, version: 1, subject: c.subject, html: c.html, text: c.text, textAuto: c.textAuto ? 1 : 0, variablesJson: JSON.stringify(variables), createdAt: now },
      variables,
      subject: compile(c.subject, 'subject', false, variables),
      html: compile(c.html, 'html', true, variables),
      text: compile(c.text, 'text', false, variables),
    }
  }
  checkValues(p, input.values, 'values')
  let contact: ContactRow | undefined
  if (input.contactId !== undefined) {
    contact = contactRow(ctx, input.contactId)
    if (!contact) throw new AppError('NOT_FOUND', `Contact ${input.contactId} does not exist`, 'contactId')
  }
  const objectId = contact?.primaryObjectId ?? (p.template.objectId || null)
  const profile = pickProfile(ctx, input.profileId, objectId)
  const object = objectRow(ctx, profile.objectId)!
  if (!contact && input.email) {
    const id = repo.contactIdByEmail(ctx, object.id, input.email)
    contact = id ? contactRow(ctx, id) : addressOnly(input.email, object.id)
  }
  if (!contact) throw new AppError('VALIDATION', 'Pick a contact to preview with', 'contactId')
  const out = renderPrepared(ctx.clock.now(), p, contact, object, profile, valuesFor(p, input.values), input.footer)
  if (!out.ok) {
    const who = `${contact.firstName} ${contact.lastName}`.trim() || contact.email || 'this contact'
    throw new AppError('VALIDATION', `The template uses {{${out.missing}}}, which is empty for ${who} (give it a value, or use {{default ${out.missing} "…"}})`, 'values')
  }
  return out.r
}

