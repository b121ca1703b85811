import Database from "better-sqlite3";

// The same table on both servers: 200 rows in an in-memory SQLite database, created once per
// process; every request runs the prepared query again (no caching on either side).
const db = new Database(":memory:");
db.exec("CREATE TABLE items (id INTEGER PRIMARY KEY, title TEXT NOT NULL, done INTEGER NOT NULL)");
const insert = db.prepare("INSERT INTO items (title, done) VALUES (?, ?)");
for (let i = 1; i <= 200; i++) insert.run(`Item number ${i}`, i % 3 === 0 ? 1 : 0);
const first50 = db.prepare("SELECT id, title, done FROM items ORDER BY id LIMIT 50");

export interface Item {
  id: number;
  title: string;
  done: number;
}

export function listItems(): Item[] {
  return first50.all() as Item[];
}
