// templates.preview: a template rendered for one contact exactly as it would be sent (footer, text part,
// List-Unsubscribe), from the profile asked for or the one that would send to this contact.
import type { TemplatePreview, TemplatePreviewInput } from '../../../shared/automation'
import { AppError } from '../../../shared/result'
import type { z } from 'zod'
import type { Ctx } from '../context'
import { profileById, senderFor, type SenderProfile } from '../automation/sender'
import { renderFor } from '../automation/templates'
import { contactRow, objectRow } from '../repos/templates'

/** A variable the contact lacks is a VALIDATION error on `subject` or `html`. */
export function previewTemplate(ctx: Ctx, input: z.output<typeof TemplatePreviewInput>): z.output<typeof TemplatePreview> {
  const { subject, html, contactId, profileId } = input
  const contact = contactRow(ctx, contactId)
  if (!contact) throw new AppError('NOT_FOUND', `Contact ${contactId} does not exist`, 'contactId')
  let profile: SenderProfile | undefined
  if (profileId !== undefined) {
    profile = profileById(ctx, profileId)
    if (!profile) throw new AppError('NOT_FOUND', `Sender profile ${profileId} does not exist`, 'profileId')
  } else {
    const s = senderFor(ctx, contact.primaryObjectId)
    if (!s.ok) throw new AppError('VALIDATION', s.error, 'contactId')
    profile = s.profile
  }
  const object = objectRow(ctx, profile.objectId)!
  return renderFor(ctx, { subject, html, subjectField: 'subject', htmlField: 'html' }, contact, object, profile)
}
