// Inbox tables (migration 0004_inbox). Owned by the message store.
export {}
