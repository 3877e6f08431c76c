// Companies (issue 19): the boundary. Rules in services/companies.ts.
import type { Ctx, HandlersFor } from '../context'
import { assignCompany, createCompany, deleteCompany, getCompany, listCompanies, updateCompany } from '../services/companies'

const changed = (ctx: Ctx, contacts = false) => {
  ctx.emit('companies.changed', {})
  if (contacts) ctx.emit('contacts.changed', {})
}

export const companyHandlers: HandlersFor<'companies'> = {
  'companies.list': (ctx, input) => listCompanies(ctx, input),
  'companies.get': (ctx, { id }) => getCompany(ctx, id),
  'companies.create': (ctx, input) => {
    const c = createCompany(ctx, input)
    changed(ctx, c.contactCount > 0)
    return c
  },
  'companies.update': (ctx, input) => {
    const c = updateCompany(ctx, input)
    changed(ctx, true)
    return c
  },
  'companies.delete': (ctx, { id }) => {
    const r = deleteCompany(ctx, id)
    changed(ctx, true)
    return r
  },
  'companies.assign': (ctx, input) => {
    const r = assignCompany(ctx, input)
    changed(ctx, r.changed > 0)
    return r
  },
}
