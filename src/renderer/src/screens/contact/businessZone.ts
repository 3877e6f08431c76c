// The business time zone the CRM shows due times in: the workspace's first business (as the engine's
// tasks.list buckets them), UTC before there is one.
import { useApp } from '../../store'

export function useBusinessZone(): string {
  return useApp((s) => (s.objects && s.objects.length ? [...s.objects].sort((a, b) => a.id - b.id)[0]!.timezone : 'UTC'))
}
