// Images of the Beta environment, pinned by tag and digest. Each digest is the multi-arch index
// digest that several independent public repositories quote for the tag; bump tag and digest together.

/** PostgreSQL for the ephemeral Beta database. */
export const POSTGRES_IMAGE = "postgres:17.10-alpine3.24@sha256:742f40ea20b9ff2ff31db5458d127452988a2164df9e17441e191f3b72252193";

/** curl (on Alpine, with sh, date, tail) for the readiness probe. */
export const PROBE_IMAGE = "curlimages/curl:8.11.1@sha256:c1fe1679c34d9784c1b0d1e5f62ac0a79fca01fb6377cdd33e90473c6f9f9a69";
