#!/usr/bin/env bash
# The three-host test (tests/multihost/run.sh) as part of make test: 20,000 documents over
# TCP between network namespaces, one worker host's link cut mid-run. Skips (77) where
# namespaces cannot be created (not root, no iproute2).
exec "$(dirname "$0")/../multihost/run.sh" --docs 20000
