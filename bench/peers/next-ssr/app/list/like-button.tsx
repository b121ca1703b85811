"use client";
import { useState } from "react";

export function LikeButton({ start }: { start: number }) {
  const [likes, setLikes] = useState(start);
  return (
    <button type="button" id="like" onClick={() => setLikes((n) => n + 1)}>
      Likes: {likes}
    </button>
  );
}
