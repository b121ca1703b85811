import { z } from "zod";

export const Todo = z.object({
  id: z.string(),
  title: z.string(),
  done: z.boolean(),
  createdAt: z.string(),
});
export type Todo = z.infer<typeof Todo>;

export const NewTodo = z.object({ title: z.string().trim().min(1).max(200) });
export const TodoPatch = z.object({ title: z.string().trim().min(1).max(200).optional(), done: z.boolean().optional() });
export const TodoParams = z.object({ id: z.string().uuid() });
export const TodoQuery = z.object({
  done: z.enum(["true", "false"]).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(50),
});
