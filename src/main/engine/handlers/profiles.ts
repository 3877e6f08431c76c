// profiles.*: a business's sender profiles and their assignment to staff (services/profiles.ts).
import type { HandlersFor } from '../context'
import { assignProfileToUser, createProfile, deleteProfile, listProfiles, updateProfile } from '../services/profiles'

export const profileHandlers: HandlersFor<'profiles'> = {
  'profiles.list': (ctx, { objectId }) => listProfiles(ctx, objectId),
  'profiles.create': (ctx, input) => createProfile(ctx, input),
  'profiles.update': (ctx, input) => updateProfile(ctx, input),
  'profiles.delete': (ctx, { id }) => deleteProfile(ctx, id),
  'profiles.assign': (ctx, input) => assignProfileToUser(ctx, input),
}
