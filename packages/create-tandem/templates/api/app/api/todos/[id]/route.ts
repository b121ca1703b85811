import { defineHandler, HttpError } from "tandem/server";
import { Todo, TodoParams, TodoPatch } from "@/lib/schemas";
import { getTodo, removeTodo, updateTodo } from "@/lib/todos";

const notFound = (id: string) => new HttpError(404, "TODO_NOT_FOUND", `No todo ${id}`);

export const GET = defineHandler({ params: TodoParams, response: Todo, summary: "Get a todo", tags: ["todos"] }, ({ params }) => {
  const todo = getTodo(params.id);
  if (todo === undefined) throw notFound(params.id);
  return todo;
});

export const PATCH = defineHandler(
  { params: TodoParams, body: TodoPatch, response: Todo, summary: "Rename a todo or mark it done", tags: ["todos"] },
  ({ params, body }) => {
    const todo = updateTodo(params.id, body);
    if (todo === undefined) throw notFound(params.id);
    return todo;
  },
);

export const DELETE = defineHandler({ params: TodoParams, summary: "Delete a todo", tags: ["todos"] }, ({ params }) => {
  if (!removeTodo(params.id)) throw notFound(params.id);
});
