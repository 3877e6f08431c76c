import { defineConfig } from 'drizzle-kit'

// Issue 22: the team workspace's PostgreSQL schema (the SQLite one is drizzle.config.ts).
export default defineConfig({
  dialect: 'postgresql',
  schema: './src/main/engine/team/pgSchema.ts',
  out: './resources/pg-migrations',
})
