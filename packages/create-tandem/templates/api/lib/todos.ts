import { randomUUID } from "node:crypto";
import type { Todo } from "./schemas.js";

// In memory, so the app runs with nothing to set up; replace these functions with your database.
const todos = new Map<string, Todo>();

export function listTodos(filter: { done?: boolean; limit: number }): Todo[] {
  return [...todos.values()].filter((todo) => filter.done === undefined || todo.done === filter.done).slice(0, filter.limit);
}

export function getTodo(id: string): Todo | undefined {
  return todos.get(id);
}

export function addTodo(title: string): Todo {
  const todo: Todo = { id: randomUUID(), title, done: false, createdAt: new Date().toISOString() };
  todos.set(todo.id, todo);
  return todo;
}

export function updateTodo(id: string, patch: { title?: string | undefined; done?: boolean | undefined }): Todo | undefined {
  const todo = todos.get(id);
  if (todo === undefined) return undefined;
  const next: Todo = { ...todo, title: patch.title ?? todo.title, done: patch.done ?? todo.done };
  todos.set(id, next);
  return next;
}

export function removeTodo(id: string): boolean {
  return todos.delete(id);
}
