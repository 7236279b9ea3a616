# Shared by run.sh, bin/brook and test.sh: find the tools and build what is missing or stale.
BROOK_HOME=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
SERVER_JAR="$BROOK_HOME/server/target/brook-server.jar"
CLI_JAR="$BROOK_HOME/cli/target/brook-cli.jar"
# Hazelcast asks for these to read JVM internals; without them it warns at every start
HAZELCAST_JVM_FLAGS="--add-modules java.se --add-exports java.base/jdk.internal.ref=ALL-UNNAMED --add-opens java.base/java.lang=ALL-UNNAMED --add-opens java.base/sun.nio.ch=ALL-UNNAMED --add-opens java.management/sun.management=ALL-UNNAMED --add-opens jdk.management/com.sun.management.internal=ALL-UNNAMED"

brook_require_tools() {
  local missing=()
  command -v java >/dev/null || missing+=(openjdk-17-jdk-headless)
  command -v mvn >/dev/null || missing+=(maven)
  if [ ${#missing[@]} -gt 0 ]; then
    if command -v apt-get >/dev/null && [ "$(id -u)" = 0 ]; then
      echo "brook: installing ${missing[*]}" >&2
      DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}" >&2 \
        || { apt-get update -q >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}" >&2; }
    else
      echo "brook: please install ${missing[*]} (Java 17+ and Maven 3.8+)" >&2
      exit 1
    fi
  fi
}

# The Kafka listener's tests use kcat (librdkafka) from Debian as a second Kafka client stack.
brook_require_kcat() {
  if command -v kcat >/dev/null; then
    return 0
  fi
  if command -v apt-get >/dev/null && [ "$(id -u)" = 0 ]; then
    echo "brook: installing kcat (the Kafka listener's tests)" >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q kcat >&2 \
      || { apt-get update -q >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -q kcat >&2; }
  else
    echo "brook: please install kcat (the Kafka listener's tests need it)" >&2
    exit 1
  fi
}

# The console's browser tests drive Debian's Chromium with its chromedriver (never a downloaded browser).
brook_require_browser() {
  if [ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ]; then
    return 0
  fi
  if command -v apt-get >/dev/null && [ "$(id -u)" = 0 ]; then
    echo "brook: installing chromium chromium-driver (the console's browser tests)" >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium chromium-driver >&2 \
      || { apt-get update -q >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium chromium-driver >&2; }
  else
    echo "brook: please install chromium and chromium-driver (the console's browser tests need them)" >&2
    exit 1
  fi
}

# True when a jar is missing or any pom.xml or source file is newer than it.
brook_stale() {
  for jar in "$SERVER_JAR" "$CLI_JAR"; do
    if [ ! -f "$jar" ]; then
      return 0
    elif [ -n "$(find "$BROOK_HOME" -path "$BROOK_HOME/data" -prune -o \( -name pom.xml -o -path '*/src/main/*' \) -type f -newer "$jar" -print -quit)" ]; then
      return 0
    fi
  done
  return 1
}

# Builds (skipping tests) when stale. Several nodes started at once (./run.sh --node-id 1, 2, 3)
# build one after the other under a lock, and the later ones find the jars fresh: concurrent Maven
# builds of one tree break each other.
brook_ensure_built() {
  brook_stale || return 0
  brook_require_tools
  (
    if command -v flock >/dev/null; then
      flock 9
    fi
    if brook_stale; then
      echo "brook: building (mvn -DskipTests install)..." >&2
      (cd "$BROOK_HOME" && mvn -q -B -DskipTests install >&2) || { echo "brook: build failed" >&2; exit 1; }
    fi
  ) 9>"$BROOK_HOME/.build.lock" || exit 1
}

# True when PID is a live Brook node (not a zombie, not another program that got the number since).
brook_is_node() {
  local pid=$1 state cmdline
  kill -0 "$pid" 2>/dev/null || return 1
  if [ -r "/proc/$pid/stat" ]; then
    state=$(sed 's/^.*) \(.\).*$/\1/' "/proc/$pid/stat" 2>/dev/null) || return 1
    [ "$state" != Z ] || return 1
    cmdline=$(tr '\0' ' ' < "/proc/$pid/cmdline" 2>/dev/null) || return 1
  else
    cmdline=$(ps -o args= -p "$pid" 2>/dev/null) || return 1
  fi
  case "$cmdline" in
    *brook-server.jar*|*io.brook.server.BrookServer*) return 0 ;;
    *) return 1 ;;
  esac
}

# Stops the node whose PID is in DIR/brook.pid: SIGTERM (a clean shutdown), then waits for it to exit
# for up to BROOK_STOP_TIMEOUT_S seconds (60). Exit status 0 when it stopped, 1 when no node was
# running there (a stale pid file is removed) or it is still running at the deadline.
brook_stop_node() {
  local dir=$1 file pid waited=0 limit=$(( ${BROOK_STOP_TIMEOUT_S:-60} * 5 ))
  file="$dir/brook.pid"
  if [ ! -f "$file" ]; then
    echo "brook: no node to stop in $dir (no brook.pid: not running, or stopped cleanly)" >&2
    return 1
  fi
  pid=$(tr -dc '0-9' < "$file")
  if [ -z "$pid" ] || ! brook_is_node "$pid"; then
    echo "brook: no node to stop in $dir: PID ${pid:-?} of $file is not a running Brook node (the node was killed," \
      "or the number is another program's now); removed the stale pid file" >&2
    rm -f "$file"
    return 1
  fi
  echo "brook: stopping the node in $dir (PID $pid, SIGTERM)..."
  kill -TERM "$pid" || { echo "brook: cannot signal PID $pid" >&2; return 1; }
  while brook_is_node "$pid"; do
    if [ "$waited" -ge "$limit" ]; then
      echo "brook: PID $pid is still running ${BROOK_STOP_TIMEOUT_S:-60} s after SIGTERM; its log says what it" \
        "waits for. kill -9 $pid ends it at once (its logs recover at the next start)" >&2
      return 1
    fi
    sleep 0.2
    waited=$((waited + 1))
  done
  echo "brook: stopped the node in $dir (PID $pid) in $(( (waited + 4) / 5 )) s"
}
