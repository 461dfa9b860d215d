// ruleid: dpra.js.hardcoded-credential
const dbPassword = "s3cr3t-Passw0rd";

// ruleid: dpra.js.hardcoded-credential
export const API_KEY = "k-4f9a1c2e7b"; // gitleaks:allow (a fake value for the rule test)

export const settings = {
  host: "db.internal",
  // ruleid: dpra.js.hardcoded-credential
  password: "hunter2-hunter2",
  // ruleid: dpra.js.hardcoded-credential
  client_secret: "abc123def456", // gitleaks:allow
};

export function login(user: { token?: string }) {
  // ruleid: dpra.js.hardcoded-credential
  user.token = "eyJhbGciOiJIUzI1NiJ9.e30.x"; // gitleaks:allow
}

// ok: dpra.js.hardcoded-credential
const fromEnv = process.env.DB_PASSWORD ?? "";

// ok: dpra.js.hardcoded-credential
const emptyPassword = "";

// ok: dpra.js.hardcoded-credential
export const passwordSecretArn = "arn:aws:secretsmanager:us-east-1:111111111111:secret:db";

// ok: dpra.js.hardcoded-credential
export const tokenHeader = "Authorization";

export const form = {
  // ok: dpra.js.hardcoded-credential
  password: "${DB_PASSWORD}",
  // ok: dpra.js.hardcoded-credential
  user: "fruit",
};

export { dbPassword, fromEnv, emptyPassword };
