import { z } from "zod";

// One definition per shape: validation, the handlers' types, the typed client and OpenAPI.
export const Title = z.string().trim().min(1).max(200);
export const BoardSchema = z.object({ id: z.string(), title: z.string(), createdAt: z.string() });
export const CardSchema = z.object({
  id: z.string(),
  boardId: z.string(),
  title: z.string(),
  body: z.string(),
  position: z.number().int(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export const BoardId = z.object({ id: z.string().min(1).max(100) });
export const CardRef = z.object({ id: z.string().min(1).max(100), cardId: z.string().min(1).max(100) });
