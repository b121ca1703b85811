import { z } from "zod";
import { defineHandler, reply } from "tandem/server";
import { NewTodo, Todo, TodoQuery } from "@/lib/schemas";
import { addTodo, listTodos } from "@/lib/todos";

export const GET = defineHandler({ query: TodoQuery, response: z.array(Todo), summary: "List todos", tags: ["todos"] }, ({ query }) =>
  listTodos({ limit: query.limit, ...(query.done ? { done: query.done === "true" } : {}) }),
);

export const POST = defineHandler({ body: NewTodo, response: { 201: Todo }, summary: "Add a todo", tags: ["todos"] }, ({ body }) => {
  const todo = addTodo(body.title);
  return reply(todo, { status: 201, headers: { location: `/api/todos/${todo.id}` } });
});
