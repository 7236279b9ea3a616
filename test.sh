#!/usr/bin/env bash
# The test command of the README: builds Brook and runs every test (unit, integration with real
# Hazelcast on loopback, a real ZooKeeper server started by the tests, real files, broker
# processes killed with SIGKILL, the console in Debian's Chromium, Kafka clients and kcat against the
# Kafka listener). Installs Java, Maven, Chromium, chromedriver and kcat with apt-get when they are missing.
set -euo pipefail
source "$(dirname "$0")/bin/lib.sh"
brook_require_tools
brook_require_browser
brook_require_kcat
cd "$BROOK_HOME"
exec mvn -B -ntp install "$@"
