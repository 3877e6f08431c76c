// Companies (issue 19): a business's customers' organisations. A contact belongs to one; contacts at a
// company's email domain join it by themselves (on create and import, by migration 0015's trigger; and
// the ones already there when the company is made or given its domain, here).
import type { z } from 'zod'
import { AppError } from '../../../shared/result'
import type { AssignCompany, Company, CompanyDetail, CompanyPatch, ListCompanies, NewCompany } from '../../../shared/segments'
import type { Ctx } from '../context'
import {
  assignContacts,
  companyById,
  companyMail,
  companyPeople,
  deleteCompanyRow,
  domainTaken,
  insertCompany,
  linkContactsByDomain,
  listCompanyRows,
  missingContacts,
  updateCompanyRow,
} from '../repos/companies'
import { existingIds } from '../repos/segments'

function requireCompany(ctx: Ctx, id: number, field = 'id'): Company {
  const c = companyById(ctx, id)
  if (!c) throw new AppError('NOT_FOUND', `Company ${id} does not exist`, field)
  return c
}

const assertDomainFree = (ctx: Ctx, objectId: number | null, domain: string | null, exceptId?: number) => {
  if (domain && domainTaken(ctx, objectId, domain, exceptId)) throw new AppError('CONFLICT', `Another company already has the domain ${domain}`, 'domain')
}

export const listCompanies = (ctx: Ctx, input: z.output<typeof ListCompanies>): Company[] => listCompanyRows(ctx, input.objectId, input.query)

export function getCompany(ctx: Ctx, id: number): CompanyDetail {
  const company = requireCompany(ctx, id)
  return { ...company, people: companyPeople(ctx, id), recentMail: companyMail(ctx, id, company.domain) }
}

export function createCompany(ctx: Ctx, input: z.output<typeof NewCompany>): Company {
  const objectId = input.objectId ?? null
  if (objectId !== null && !existingIds(ctx, 'objects', [objectId]).has(objectId)) throw new AppError('NOT_FOUND', `Business ${objectId} does not exist`, 'objectId')
  const domain = input.domain ?? null
  assertDomainFree(ctx, objectId, domain)
  const id = ctx.sqlite.transaction(() => {
    const id = insertCompany(ctx, { objectId, name: input.name, domain }, ctx.clock.now())
    if (domain) linkContactsByDomain(ctx, id, objectId, domain)
    return id
  })()
  return requireCompany(ctx, id)
}

export function updateCompany(ctx: Ctx, input: z.output<typeof CompanyPatch>): Company {
  const current = requireCompany(ctx, input.id)
  const domain = input.domain !== undefined ? input.domain : current.domain
  assertDomainFree(ctx, current.objectId, domain, current.id)
  ctx.sqlite.transaction(() => {
    updateCompanyRow(ctx, { id: current.id, name: input.name ?? current.name, domain }, ctx.clock.now())
    // A new domain brings in the contacts at it that have no company yet; nobody already linked is moved.
    if (domain && domain !== current.domain) linkContactsByDomain(ctx, current.id, current.objectId, domain)
  })()
  return requireCompany(ctx, current.id)
}

/** Its people stay, without a company (the foreign key sets company_id to NULL). */
export function deleteCompany(ctx: Ctx, id: number): { id: number; deleted: true } {
  requireCompany(ctx, id)
  deleteCompanyRow(ctx, id)
  return { id, deleted: true }
}

export function assignCompany(ctx: Ctx, input: z.output<typeof AssignCompany>): { changed: number } {
  if (input.companyId !== null) requireCompany(ctx, input.companyId, 'companyId')
  const ids = [...new Set(input.contactIds)]
  const missing = missingContacts(ctx, ids)
  if (missing.length) throw new AppError('NOT_FOUND', `Contact ${missing[0]} does not exist`, 'contactIds')
  return { changed: ctx.sqlite.transaction(() => assignContacts(ctx, input.companyId, ids))() }
}
