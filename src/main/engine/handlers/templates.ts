// templates.preview: a template rendered for one contact exactly as it would be sent (footer, text part,
// List-Unsubscribe). A variable the contact lacks is a VALIDATION error on `subject` or `html`.
import { AppError } from '../../../shared/result'
import type { HandlersFor } from '../context'
import { profileById, senderFor } from '../automation/sender'
import { contactRow, objectRow, renderFor } from '../automation/templates'

export const templateHandlers: HandlersFor<'templates'> = {
  'templates.preview': (ctx, { subject, html, contactId, profileId }) => {
    const contact = contactRow(ctx, contactId)
    if (!contact) throw new AppError('NOT_FOUND', `Contact ${contactId} does not exist`, 'contactId')
    let profile
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
  },
}
