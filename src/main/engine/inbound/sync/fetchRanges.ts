// How a big fetch is cut into FETCH commands (folder.ts): by bytes seen so far, so imapflow never works through
// megabytes of responses in one go on the engine's thread.
import type { FetchMessageObject, FetchQueryObject, ImapFlow } from 'imapflow'

/** FETCH ranges of a big sync: about this much source each, and never more messages than maxCount. */
const RANGE = { first: 25, maxBytes: 256 * 1024, maxCount: 200 }

/**
 * The new messages from `from` on. A few (new mail): one FETCH. Many (a first sync, a backlog): their UIDs
 * first, then FETCHes of about RANGE.maxBytes each (sized from the messages seen so far). imapflow works
 * through everything the socket has read without yielding, so one FETCH of the whole folder let megabytes
 * of responses pile up while the store ran and then held the engine's thread for hundreds of ms.
 */
export async function* fetchNew(client: ImapFlow, from: number, query: FetchQueryObject, many: boolean): AsyncGenerator<FetchMessageObject> {
  if (!many) {
    yield* client.fetch(`${from}:*`, query, { uid: true })
    return
  }
  const found = (await client.search({ uid: `${from}:*` }, { uid: true })) || []
  yield* fetchUids(client, found.filter((u) => u >= from).sort((a, b) => a - b), query)
}

/** These UIDs (ascending), in FETCHes of about RANGE.maxBytes each. */
export async function* fetchUids(client: ImapFlow, uids: number[], query: FetchQueryObject): AsyncGenerator<FetchMessageObject> {
  let count = RANGE.first
  let seen = 0
  let bytes = 0
  for (let i = 0; i < uids.length; ) {
    const part = uids.slice(i, i + count)
    i += part.length
    for await (const m of client.fetch(part, query, { uid: true })) {
      seen++
      bytes += m.source?.length ?? 0
      yield m
    }
    count = Math.max(1, Math.min(RANGE.maxCount, Math.floor(RANGE.maxBytes / Math.max(1, bytes / Math.max(1, seen)))))
  }
}
