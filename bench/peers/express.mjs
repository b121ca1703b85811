// Express 5 as its guide shows: express.json(), a Router mounted twice, auth as app-level middleware.
import express from "express";
import { HOST, MW_HEADER, TOKEN, portFromEnv } from "./contract.mjs";

const api = express.Router();
api.get("/json", (_req, res) => {
  res.json({ hello: "world" });
});
api.get("/users/:id", (req, res) => {
  res.json({ id: req.params.id });
});
api.post("/echo", (req, res) => {
  res.json(req.body);
});

function auth(req, res, next) {
  if (req.get("authorization") !== `Bearer ${TOKEN}`) {
    res.status(401).json({ error: "unauthorized" });
    return;
  }
  res.set(MW_HEADER, "ok");
  next();
}

const app = express();
app.disable("x-powered-by");
app.use(express.json({ limit: "1mb" }));
app.use("/api", api);
app.use("/mw", auth, api);

app.listen(portFromEnv(), HOST);
