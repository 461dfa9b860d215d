const cors = require("cors");
const express = require("express");

const app = express();

// ruleid: dpra.js.cors-any-origin-with-credentials
app.use(cors({ origin: "*", credentials: true }));

// ruleid: dpra.js.cors-any-origin-with-credentials
app.use(cors({ credentials: true, origin: true, maxAge: 600 }));

function reflect(req, res, next) {
  // ruleid: dpra.js.cors-any-origin-with-credentials
  res.setHeader("Access-Control-Allow-Origin", req.headers.origin);
  res.setHeader("Access-Control-Allow-Credentials", "true");
  next();
}

// ok: dpra.js.cors-any-origin-with-credentials
app.use(cors({ origin: ["https://fruit.example.com"], credentials: true }));

// ok: dpra.js.cors-any-origin-with-credentials
app.use(cors({ origin: "*" }));

function publicApi(req, res, next) {
  // ok: dpra.js.cors-any-origin-with-credentials
  res.setHeader("Access-Control-Allow-Origin", "*");
  next();
}

module.exports = { app, reflect, publicApi };
