FROM node:20-slim

# ruleid: dpra.dockerfile.secret-in-env-or-arg
ARG NPM_TOKEN

# ruleid: dpra.dockerfile.secret-in-env-or-arg
ENV DB_PASSWORD=s3cr3t-Passw0rd

# ruleid: dpra.dockerfile.secret-in-env-or-arg
ENV API_KEY k-4f9a1c2e7b

# ruleid: dpra.dockerfile.tls-verification-disabled
ENV NODE_TLS_REJECT_UNAUTHORIZED=0

# ok: dpra.dockerfile.secret-in-env-or-arg
ARG NODE_VERSION=20

# ok: dpra.dockerfile.secret-in-env-or-arg
ENV DB_PASSWORD_SECRET_ARN=arn:aws:secretsmanager:us-east-1:111111111111:secret:db

# ok: dpra.dockerfile.tls-verification-disabled
ENV NODE_EXTRA_CA_CERTS=/etc/ssl/private-ca.pem

# ok: dpra.dockerfile.secret-in-env-or-arg
RUN --mount=type=secret,id=npm_token NPM_TOKEN="$(cat /run/secrets/npm_token)" npm ci

# ruleid: dpra.dockerfile.secret-in-env-or-arg
ENV PORT=8080 GITHUB_TOKEN="abc def"
