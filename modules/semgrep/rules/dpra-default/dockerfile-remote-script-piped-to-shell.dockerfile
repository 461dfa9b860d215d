FROM debian:12-slim

# ruleid: dpra.dockerfile.remote-script-piped-to-shell
RUN curl -fsSL https://example.com/install.sh | sh

# ruleid: dpra.dockerfile.remote-script-piped-to-shell
RUN apt-get update && wget -qO- https://example.com/setup | bash -s -- --yes

# ok: dpra.dockerfile.remote-script-piped-to-shell
RUN curl -fsSLo /tmp/install.sh https://example.com/install.sh \
 && echo "0000000000000000000000000000000000000000000000000000000000000000  /tmp/install.sh" | sha256sum -c - \
 && sh /tmp/install.sh

# ok: dpra.dockerfile.remote-script-piped-to-shell
RUN curl -fsSL https://example.com/data.json | jq .version
