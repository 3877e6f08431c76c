// users.*: staff users and who is using the app now (services/users.ts).
import type { HandlersFor } from '../context'
import { createUser, listUsers, setCurrentUser } from '../services/users'

export const userHandlers: HandlersFor<'users'> = {
  'users.list': (ctx) => listUsers(ctx),
  'users.create': (ctx, input) => createUser(ctx, input),
  'users.setCurrent': (ctx, { id }) => setCurrentUser(ctx, id),
}
