// profiles.*: a business's sender profiles and their assignment to staff (services/profiles.ts).
import type { HandlersFor } from '../context'
import { assignProfileToUser, createProfile, listProfiles, updateProfile } from '../services/profiles'

export const profileHandlers: HandlersFor<'profiles'> = {
  'profiles.list': (ctx, { objectId }) => listProfiles(ctx, objectId),
  'profiles.create': (ctx, input) => createProfile(ctx, input),
  'profiles.update': (ctx, input) => updateProfile(ctx, input),
  'profiles.assign': (ctx, input) => assignProfileToUser(ctx, input),
}
