// tasks.*: tasks and reminders (issue 19). Boundary only; the rules are in services/tasks.ts.
import type { HandlersFor } from '../context'
import { completeTask, countTasks, createTask, deleteTask, listTasks, updateTask } from '../services/tasks'

export const tasksHandlers: HandlersFor<'tasks'> = {
  'tasks.list': (ctx, input) => listTasks(ctx, input),
  'tasks.count': (ctx) => countTasks(ctx),
  'tasks.create': (ctx, input) => createTask(ctx, input),
  'tasks.update': (ctx, input) => updateTask(ctx, input),
  'tasks.complete': (ctx, { id, done }) => completeTask(ctx, id, done),
  'tasks.delete': (ctx, { id }) => deleteTask(ctx, id),
}
