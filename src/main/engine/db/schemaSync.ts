// Sync state tables (migration 0005_sync_state). Owned by the sync workers.
export {}
