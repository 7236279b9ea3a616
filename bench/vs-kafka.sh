#!/usr/bin/env bash
# Brook against Apache Kafka, side by side, through the Kafka protocol, with Kafka's own perf tools.
#
# Starts Apache Kafka 4.4.0 (its jars from Maven Central, resolved by the standalone
# bench/vs-kafka/pom.xml, which is not part of Brook's build: KRaft combined mode, broker+controller in
# one JVM per node) and Brook (run.sh, the Kafka listener on) side by side: same heap (-Xms1G -Xmx1G),
# data directories of the same kind (both under the work directory on the same file system), the
# same defaults for durability (neither fsyncs per append), loopback only, ports of their own and a
# private Brook cluster name. Then, in rounds, each workload runs against Kafka and against Brook in
# turn (the order alternates per round), with Kafka's own tools:
#
#   produce   org.apache.kafka.tools.ProducerPerformance (kafka-producer-perf-test), unthrottled,
#             the producer's defaults apart from acks (batch.size 16 KiB, linger.ms 5)
#   consume   org.apache.kafka.tools.ConsumerPerformance (kafka-consumer-perf-test), in a group,
#             reading back the topic just produced; the figure is its fetch.MB.sec (the group join
#             excluded; MB.sec with it is printed per round)
#   e2e       bench/vs-kafka/E2eLatency.java: Kafka's EndToEndLatency loop (send one record, get()
#             the ack, poll until it is back) printing microseconds instead of whole milliseconds
#
# Workloads, one partition, a fresh topic per run:
#   --nodes 1: produce 100 B and 1 KiB with acks=1 and acks=all, consume 100 B and 1 KiB,
#              e2e 100 B acks=1 (p50, p99)
#   --nodes 3: three brokers each, RF 3, min.insync.replicas=2: produce 100 B acks=all, consume,
#              e2e 100 B acks=all (p50, p99)
# It prints each run's figures as it goes, then a table of the medians over the rounds with the ratio
# Brook/Kafka (for latency lower is better), and whether the one-broker floor of issue 11 is met
# (Brook's produce at least 1.0x Kafka's, consume at least 0.8x).
#
#   bench/vs-kafka.sh [--nodes 1|3|1,3] [--rounds N] [--quick] [--records N] [--records-1k N]
#                     [--e2e-records N] [--no-warmup] [--work-dir DIR] [--keep] [--print-metrics]
#                     [--brook-opt -Dbrook.KEY=VALUE]...
#
#   --nodes LIST      which cluster sizes, in order (default 1,3)
#   --rounds N        rounds per cluster size (default 3); medians over them
#   --quick           a smoke run: 1 round, 200,000 / 100,000 records, 2,000 e2e records, no warm-up
#   --records N       records per 100 B produce run (default 2,000,000)
#   --records-1k N    records per 1 KiB produce run (default 1,000,000)
#   --e2e-records N   timed records of an e2e run (default 10,000, after 1,000 not timed)
#   --no-warmup       no untimed runs (produce at each record size and acks, consume) against each
#                     system before the first round
#   --print-metrics   the perf tools print their client metrics (fetch sizes, request latencies, ...)
#                     into each run's log in the work directory
#   --brook-opt ARG   one more argument for Brook's run.sh (a config key: -Dbrook.KEY=VALUE), repeatable
#   --work-dir DIR    data, logs and results.tsv (default /tmp/vs-kafka-<pid>); the brokers' data is
#                     removed at the end unless --keep or something failed, the logs are kept
#
# Ports (all on 127.0.0.1; the script fails at once if one is taken): Kafka 19192+2i (client) and
# 19193+2i (controller) for node i=0..2; Brook Kafka listener 29092-29094, HTTP 28081-28083, Hazelcast
# 25801-25803, bridge off. Environment: JAVA (default java), MVN_ARGS (extra Maven arguments for
# resolving Kafka's jars, e.g. "-o -Dmaven.repo.local=/path"). Brook is built first if stale (run.sh).
# Every broker the script started is stopped on exit (SIGTERM, then SIGKILL after 30 s), by PID.
#
# Not part of ./test.sh or CI: it downloads Kafka's broker (about 56 MB of jars, once) and runs for
# about 20 minutes with the defaults on a 2-core machine (--nodes 1: about 10; --quick: 3 per size).
# The figures are only as steady as the machine: run it on a quiet one, and read the per-round figures.
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
BROOK_HOME=$(cd "$HERE/.." && pwd)
JAVA=${JAVA:-java}

nodes_list=1,3
rounds=3
records=2000000
records_1k=1000000
e2e_records=10000
e2e_warmup=1000
warmup=yes
work_dir=
keep=no
quick=no
metrics=()
brook_opts=()

KAFKA_BASE_PORT=19192
BROOK_KAFKA_BASE_PORT=29092
BROOK_HTTP_BASE_PORT=28081
BROOK_CLUSTER_BASE_PORT=25801
TOOL_TIMEOUT_S=900

die() { echo "vs-kafka: $*" >&2; exit 1; }
value() { [ $# -ge 2 ] || { echo "vs-kafka: $1 needs a value (try --help)" >&2; exit 2; }; printf '%s' "$2"; }
while [ $# -gt 0 ]; do
  case "$1" in
    --nodes) nodes_list=$(value "$@"); shift 2 ;;
    --rounds) rounds=$(value "$@"); shift 2 ;;
    --records) records=$(value "$@"); shift 2 ;;
    --records-1k) records_1k=$(value "$@"); shift 2 ;;
    --e2e-records) e2e_records=$(value "$@"); shift 2 ;;
    --quick) quick=yes; shift ;;
    --no-warmup) warmup=no; shift ;;
    --work-dir) work_dir=$(value "$@"); shift 2 ;;
    --keep) keep=yes; shift ;;
    --print-metrics) metrics=(--print-metrics); shift ;;
    --brook-opt) brook_opts+=("$(value "$@")"); shift 2 ;;
    -h|--help) awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"; exit 0 ;;
    *) echo "vs-kafka: unknown option $1 (try --help)" >&2; exit 2 ;;
  esac
done
if [ "$quick" = yes ]; then
  rounds=1 records=200000 records_1k=100000 e2e_records=2000 e2e_warmup=200 warmup=no
fi
for n in "$rounds" "$records" "$records_1k" "$e2e_records"; do
  [[ "$n" =~ ^[1-9][0-9]*$ ]] || { echo "vs-kafka: --rounds and --records* take a positive number" >&2; exit 2; }
done
IFS=, read -r -a node_counts <<< "$nodes_list"
for n in "${node_counts[@]}"; do
  [[ "$n" = 1 || "$n" = 3 ]] || { echo "vs-kafka: --nodes takes 1, 3 or 1,3" >&2; exit 2; }
done

work_dir=${work_dir:-/tmp/vs-kafka-$$}
mkdir -p "$work_dir/logs"
work_dir=$(cd "$work_dir" && pwd)
RESULTS="$work_dir/results.tsv"
: > "$RESULTS"
LOGS="$work_dir/logs"

# ---------------------------------------------------------------------------------------------------
# processes: every broker started here, by PID; stopped on exit
declare -A PIDS=()      # pid -> description
failed=no
stop_pids() {
  local pid
  for pid in "$@"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "$@"; do
    local waited=0
    while kill -0 "$pid" 2>/dev/null && [ $waited -lt 300 ]; do sleep 0.1; waited=$((waited + 1)); done
    if kill -0 "$pid" 2>/dev/null; then
      echo "vs-kafka: PID $pid (${PIDS[$pid]:-?}) still running 30 s after SIGTERM: SIGKILL" >&2
      kill -KILL "$pid" 2>/dev/null || true
    fi
    wait "$pid" 2>/dev/null || true
    unset "PIDS[$pid]"
  done
}
cleanup() {
  local status=$?
  trap - EXIT INT TERM
  if [ ${#PIDS[@]} -gt 0 ]; then
    echo "vs-kafka: stopping ${#PIDS[@]} broker process(es): ${!PIDS[*]}" >&2
    stop_pids "${!PIDS[@]}"
  fi
  if [ "$keep" = no ] && [ "$failed" = no ] && [ $status -eq 0 ]; then
    rm -rf "$work_dir"/kafka-* "$work_dir"/brook-*
    echo "vs-kafka: data removed; logs and results.tsv kept in $work_dir" >&2
  else
    echo "vs-kafka: work directory kept: $work_dir (logs in $LOGS)" >&2
  fi
  exit $status
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
require_free() {
  local p
  for p in "$@"; do port_free "$p" || die "port $p on 127.0.0.1 is taken: another process listens there"; done
}

# ---------------------------------------------------------------------------------------------------
# Kafka's jars, Brook's build, the e2e tool
echo "vs-kafka: resolving Apache Kafka 4.4.0's jars (bench/vs-kafka/pom.xml)..." >&2
# shellcheck disable=SC2086
mvn -q -B -f "$HERE/vs-kafka/pom.xml" dependency:build-classpath -Dmdep.outputFile="$work_dir/kafka.classpath" \
  ${MVN_ARGS:-} > "$LOGS/mvn-kafka.log" 2>&1 || { cat "$LOGS/mvn-kafka.log" >&2; die "could not resolve Kafka's jars"; }
KAFKA_CP=$(cat "$work_dir/kafka.classpath")
mkdir -p "$work_dir/classes"
javac -nowarn -d "$work_dir/classes" -cp "$KAFKA_CP" "$HERE/vs-kafka/E2eLatency.java" \
  || die "could not compile bench/vs-kafka/E2eLatency.java"
# shellcheck source=../bin/lib.sh
source "$BROOK_HOME/bin/lib.sh"
brook_ensure_built

# The JVM options of Kafka's scripts (kafka-run-class.sh): G1 with its pause goal; heap 1G for a
# broker (kafka-server-start.sh), 512M for the perf tools (kafka-producer-perf-test.sh).
KAFKA_JVM_PERFORMANCE_OPTS=(-server -XX:+UseG1GC -XX:MaxGCPauseMillis=20 -XX:InitiatingHeapOccupancyPercent=35
  -XX:+ExplicitGCInvokesConcurrent -XX:MaxInlineLevel=15 -Djava.awt.headless=true)
BROKER_HEAP="-Xms1G -Xmx1G"
cat > "$work_dir/log4j2-broker.properties" <<'EOF'
status = warn
appender.out.type = Console
appender.out.name = OUT
appender.out.layout.type = PatternLayout
appender.out.layout.pattern = [%d] %p %m (%c)%n
rootLogger.level = INFO
rootLogger.appenderRef.out.ref = OUT
logger.request.name = kafka.request.logger
logger.request.level = WARN
EOF
cat > "$work_dir/log4j2-tools.properties" <<'EOF'
status = warn
appender.err.type = Console
appender.err.name = ERR
appender.err.target = SYSTEM_ERR
appender.err.layout.type = PatternLayout
appender.err.layout.pattern = [%d] %p %m (%c)%n
rootLogger.level = WARN
rootLogger.appenderRef.err.ref = ERR
EOF
TOOL=("$JAVA" -Xmx512M "${KAFKA_JVM_PERFORMANCE_OPTS[@]}" -Dlog4j2.configurationFile="$work_dir/log4j2-tools.properties"
  -cp "$work_dir/classes:$KAFKA_CP")

# ---------------------------------------------------------------------------------------------------
# brokers
wait_for_line() { # PID LOG LINE WHAT
  local pid=$1 log=$2 line=$3 what=$4 waited=0
  until grep -q -- "$line" "$log" 2>/dev/null; do
    if ! kill -0 "$pid" 2>/dev/null; then
      failed=yes
      tail -n 30 "$log" >&2
      die "$what exited before it was ready (log: $log)"
    fi
    if [ $waited -ge 1800 ]; then
      failed=yes
      tail -n 30 "$log" >&2
      die "$what not ready after 180 s (log: $log)"
    fi
    sleep 0.1
    waited=$((waited + 1))
  done
}

KAFKA_BOOTSTRAP=
KAFKA_PIDS=()
start_kafka() { # N
  local n=$1 i voters="" cid props log pid
  KAFKA_PIDS=()
  for i in $(seq 1 "$n"); do
    voters+="${voters:+,}$i@127.0.0.1:$((KAFKA_BASE_PORT + 2 * (i - 1) + 1))"
    require_free $((KAFKA_BASE_PORT + 2 * (i - 1))) $((KAFKA_BASE_PORT + 2 * (i - 1) + 1))
  done
  cid=$("$JAVA" -cp "$KAFKA_CP" -Dlog4j2.configurationFile="$work_dir/log4j2-tools.properties" kafka.tools.StorageTool random-uuid)
  KAFKA_BOOTSTRAP=
  for i in $(seq 1 "$n"); do
    local port=$((KAFKA_BASE_PORT + 2 * (i - 1)))
    props="$work_dir/kafka-n$n-$i.properties"
    cat > "$props" <<EOF
process.roles=broker,controller
node.id=$i
controller.quorum.voters=$voters
listeners=PLAINTEXT://127.0.0.1:$port,CONTROLLER://127.0.0.1:$((port + 1))
advertised.listeners=PLAINTEXT://127.0.0.1:$port
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
log.dirs=$work_dir/kafka-n$n-$i
num.partitions=1
default.replication.factor=1
offsets.topic.replication.factor=$n
transaction.state.log.replication.factor=$n
transaction.state.log.min.isr=$(( n > 1 ? 2 : 1 ))
share.coordinator.state.topic.replication.factor=$n
share.coordinator.state.topic.min.isr=$(( n > 1 ? 2 : 1 ))
group.initial.rebalance.delay.ms=0
EOF
    "$JAVA" -cp "$KAFKA_CP" -Dlog4j2.configurationFile="$work_dir/log4j2-tools.properties" kafka.tools.StorageTool \
      format -t "$cid" -c "$props" > "$LOGS/kafka-n$n-$i-format.log" 2>&1 \
      || { cat "$LOGS/kafka-n$n-$i-format.log" >&2; failed=yes; die "kafka-storage format failed for Kafka node $i"; }
    log="$LOGS/kafka-n$n-$i.log"
    # shellcheck disable=SC2086
    "$JAVA" $BROKER_HEAP "${KAFKA_JVM_PERFORMANCE_OPTS[@]}" -Dlog4j2.configurationFile="$work_dir/log4j2-broker.properties" \
      -cp "$KAFKA_CP" kafka.Kafka "$props" > "$log" 2>&1 &
    pid=$!
    PIDS[$pid]="Kafka node $i of $n"
    KAFKA_PIDS+=("$pid")
    KAFKA_BOOTSTRAP+="${KAFKA_BOOTSTRAP:+,}127.0.0.1:$port"
  done
  for i in $(seq 1 "$n"); do
    wait_for_line "${KAFKA_PIDS[$((i - 1))]}" "$LOGS/kafka-n$n-$i.log" "Kafka Server started" "Kafka node $i of $n"
  done
  echo "vs-kafka: Kafka 4.4.0, $n node(s), up on $KAFKA_BOOTSTRAP (PIDs ${KAFKA_PIDS[*]})" >&2
}

BROOK_BOOTSTRAP=
BROOK_PIDS=()
start_brook() { # N
  local n=$1 i log pid name
  name="vs-kafka-$$-n$n"
  BROOK_PIDS=()
  BROOK_BOOTSTRAP=
  for i in $(seq 1 "$n"); do
    require_free $((BROOK_KAFKA_BASE_PORT + i - 1)) $((BROOK_HTTP_BASE_PORT + i - 1)) $((BROOK_CLUSTER_BASE_PORT + i - 1))
  done
  # one after the other: node 1 founds the cluster, the others join it
  for i in $(seq 1 "$n"); do
    log="$LOGS/brook-n$n-$i.log"
    BROOK_HEAP_OPTS="$BROKER_HEAP" "$BROOK_HOME/run.sh" --node-id "$i" --data-dir "$work_dir/brook-n$n-$i" \
      --http-port $((BROOK_HTTP_BASE_PORT + i - 1)) --bridge-port -1 --kafka-port $((BROOK_KAFKA_BASE_PORT + i - 1)) \
      --cluster-port $((BROOK_CLUSTER_BASE_PORT + i - 1)) -Dbrook.cluster.name="$name" \
      -Dbrook.cluster.members="127.0.0.1:$BROOK_CLUSTER_BASE_PORT-$((BROOK_CLUSTER_BASE_PORT + n - 1))" \
      -Dbrook.group.initial.rebalance.delay.ms=0 "${brook_opts[@]}" > "$log" 2>&1 &
    pid=$!   # run.sh execs java: this is the broker's PID
    PIDS[$pid]="Brook node $i of $n"
    BROOK_PIDS+=("$pid")
    wait_for_line "$pid" "$log" "Brook node $i ready" "Brook node $i of $n"
    BROOK_BOOTSTRAP+="${BROOK_BOOTSTRAP:+,}127.0.0.1:$((BROOK_KAFKA_BASE_PORT + i - 1))"
  done
  echo "vs-kafka: Brook, $n node(s), up on $BROOK_BOOTSTRAP (cluster $name, PIDs ${BROOK_PIDS[*]})" >&2
}

# Writes the dirty pages earlier runs left to disk before a run starts: the kernel writes them back 30 s
# after they were written, so without this a run would pay for the writeback of the run before it, often
# the other system's (the rounds interleave).
settle_disk() {
  sync
}

check_alive() {
  local pid
  for pid in "${!PIDS[@]}"; do
    kill -0 "$pid" 2>/dev/null || { failed=yes; die "${PIDS[$pid]} (PID $pid) died; logs in $LOGS"; }
  done
}

bootstrap_of() { if [ "$1" = kafka ]; then echo "$KAFKA_BOOTSTRAP"; else echo "$BROOK_BOOTSTRAP"; fi; }

# ---------------------------------------------------------------------------------------------------
# one run of a tool; figures go to results.tsv: nodes workload round system value unit extra
record() { printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$@" >> "$RESULTS"; }
say() { printf '  %-6s %-18s round %s  %-5s  %s\n' "n=$1" "$2" "$3" "$4" "$5"; }

create_topic() { # SYSTEM TOPIC RF [CONFIG...]
  local system=$1 topic=$2 rf=$3 attempt args=()
  shift 3
  for c in "$@"; do args+=(--config "$c"); done
  for attempt in 1 2 3 4 5 6 7 8 9 10; do
    if timeout 120 "${TOOL[@]}" org.apache.kafka.tools.TopicCommand --bootstrap-server "$(bootstrap_of "$system")" \
        --create --topic "$topic" --partitions 1 --replication-factor "$rf" "${args[@]}" \
        >> "$LOGS/topics.log" 2>&1; then
      return 0
    fi
    sleep 2
  done
  echo "vs-kafka: could not create topic $topic on $system (log: $LOGS/topics.log)" >&2
  return 1
}

delete_topics() { # SYSTEM REGEX
  timeout 120 "${TOOL[@]}" org.apache.kafka.tools.TopicCommand --bootstrap-server "$(bootstrap_of "$1")" \
    --delete --topic "$2" >> "$LOGS/topics.log" 2>&1 \
    || echo "vs-kafka: could not delete topics $2 on $1 (log: $LOGS/topics.log); going on" >&2
}

run_produce() { # NODES WORKLOAD ROUND SYSTEM TOPIC RF SIZE NUM ACKS [CONFIG...]
  local nodes=$1 workload=$2 round=$3 system=$4 topic=$5 rf=$6 size=$7 num=$8 acks=$9 out line
  shift 9
  check_alive
  settle_disk
  out="$LOGS/$system-n$nodes-$workload-r$round.log"
  if ! create_topic "$system" "$topic" "$rf" "$@"; then
    record "$nodes" "$workload" "$round" "$system" FAIL rec/s "topic not created"
    say "$nodes" "$workload" "$round" "$system" "FAILED (topic not created)"
    return 0
  fi
  if timeout "$TOOL_TIMEOUT_S" "${TOOL[@]}" org.apache.kafka.tools.ProducerPerformance --topic "$topic" \
      --num-records "$num" --record-size "$size" --throughput -1 --bootstrap-server "$(bootstrap_of "$system")" \
      --command-property "acks=$acks" "${metrics[@]}" > "$out" 2>&1 \
      && line=$(grep "records sent" "$out" | tail -n 1) && [ -n "$line" ]; then
    # 2000000 records sent, 405000.0 records/sec (38.62 MB/sec), 53.06 ms avg latency, ...
    local rps mbs
    rps=$(sed -E 's/^[0-9]+ records sent, ([0-9.]+) records\/sec.*/\1/' <<< "$line")
    mbs=$(sed -E 's/.*records\/sec \(([0-9.]+) MB\/sec\).*/\1/' <<< "$line")
    record "$nodes" "$workload" "$round" "$system" "$rps" rec/s "$mbs MB/s"
    say "$nodes" "$workload" "$round" "$system" "$(printf '%9.0f rec/s  %7.2f MB/s' "$rps" "$mbs")"
  else
    record "$nodes" "$workload" "$round" "$system" FAIL rec/s "see $out"
    say "$nodes" "$workload" "$round" "$system" "FAILED (see $out)"
    tail -n 5 "$out" >&2 || true
  fi
}

run_consume() { # NODES WORKLOAD ROUND SYSTEM TOPIC NUM
  local nodes=$1 workload=$2 round=$3 system=$4 topic=$5 num=$6 out line
  check_alive
  settle_disk
  out="$LOGS/$system-n$nodes-$workload-r$round.log"
  if timeout "$TOOL_TIMEOUT_S" "${TOOL[@]}" org.apache.kafka.tools.ConsumerPerformance --bootstrap-server "$(bootstrap_of "$system")" \
      --topic "$topic" --num-records "$num" --group "perf-$topic" --timeout 60000 "${metrics[@]}" > "$out" 2>&1 \
      && line=$(grep -E '^[0-9]{4}-' "$out" | tail -n 1) && [ -n "$line" ]; then
    # start.time, end.time, data.consumed.in.MB, MB.sec, data.consumed.in.nMsg, nMsg.sec,
    # rebalance.time.ms, fetch.time.ms, fetch.MB.sec, fetch.nMsg.sec
    local n mbs fmbs fnps reb
    IFS=, read -r _ _ _ mbs n _ reb _ fmbs fnps <<< "$line"
    n=${n// /} mbs=${mbs// /} fmbs=${fmbs// /} fnps=${fnps// /} reb=${reb// /}
    if [ "$n" -lt "$num" ]; then
      record "$nodes" "$workload" "$round" "$system" FAIL MB/s "read $n of $num"
      say "$nodes" "$workload" "$round" "$system" "FAILED (read $n of $num records; see $out)"
      return 0
    fi
    record "$nodes" "$workload" "$round" "$system" "$fmbs" MB/s "$fnps rec/s; $mbs MB/s with the group join ($reb ms)"
    say "$nodes" "$workload" "$round" "$system" "$(printf '%9.1f MB/s fetch  (%.0f rec/s; %.1f MB/s with the %s ms group join)' \
      "$fmbs" "$fnps" "$mbs" "$reb")"
  else
    record "$nodes" "$workload" "$round" "$system" FAIL MB/s "see $out"
    say "$nodes" "$workload" "$round" "$system" "FAILED (see $out)"
    tail -n 5 "$out" >&2 || true
  fi
}

run_e2e() { # NODES WORKLOAD ROUND SYSTEM TOPIC RF ACKS [CONFIG...]
  local nodes=$1 workload=$2 round=$3 system=$4 topic=$5 rf=$6 acks=$7 out line
  shift 7
  check_alive
  settle_disk
  out="$LOGS/$system-n$nodes-$workload-r$round.log"
  if ! create_topic "$system" "$topic" "$rf" "$@"; then
    record "$nodes" "$workload-p50" "$round" "$system" FAIL ms "topic not created"
    record "$nodes" "$workload-p99" "$round" "$system" FAIL ms "topic not created"
    say "$nodes" "$workload" "$round" "$system" "FAILED (topic not created)"
    return 0
  fi
  if timeout "$TOOL_TIMEOUT_S" "${TOOL[@]}" E2eLatency "$(bootstrap_of "$system")" "$topic" "$e2e_records" "$acks" 100 \
      "$e2e_warmup" > "$out" 2>&1 && line=$(grep '^e2e ' "$out" | tail -n 1) && [ -n "$line" ]; then
    local avg p50 p99 p999
    avg=$(sed -E 's/.* avg_us=([0-9.]+).*/\1/' <<< "$line")
    p50=$(sed -E 's/.* p50_us=([0-9.]+).*/\1/' <<< "$line")
    p99=$(sed -E 's/.* p99_us=([0-9.]+).*/\1/' <<< "$line")
    p999=$(sed -E 's/.* p999_us=([0-9.]+).*/\1/' <<< "$line")
    record "$nodes" "$workload-p50" "$round" "$system" "$(awk -v v="$p50" 'BEGIN { printf "%.3f", v / 1000 }')" ms ""
    record "$nodes" "$workload-p99" "$round" "$system" "$(awk -v v="$p99" 'BEGIN { printf "%.3f", v / 1000 }')" ms \
      "p99.9 $(awk -v v="$p999" 'BEGIN { printf "%.2f", v / 1000 }') ms"
    say "$nodes" "$workload" "$round" "$system" "$(awk -v a="$avg" -v b="$p50" -v c="$p99" -v d="$p999" \
      'BEGIN { printf "p50 %.3f ms  p99 %.3f ms  p99.9 %.3f ms  avg %.3f ms", b / 1000, c / 1000, d / 1000, a / 1000 }')"
  else
    record "$nodes" "$workload-p50" "$round" "$system" FAIL ms "see $out"
    record "$nodes" "$workload-p99" "$round" "$system" FAIL ms "see $out"
    say "$nodes" "$workload" "$round" "$system" "FAILED (see $out)"
    tail -n 5 "$out" >&2 || true
  fi
}

# ---------------------------------------------------------------------------------------------------
# the rounds
warm_up() { # NODES SYSTEM
  local nodes=$1 system=$2 rf=1
  [ "$nodes" = 3 ] && rf=3
  echo "vs-kafka: warm-up against $system (not counted)" >&2
  create_topic "$system" warmup "$rf" >/dev/null || return 0
  # every record size and acks setting the rounds use: a broker's JIT compiles each path when it first runs it
  # (Brook's C2 thread took 3 s of CPU, 44 % of the broker's, in the first 1 KiB acks=all run after a 100 B warm-up)
  local size acks count=0
  for size in 100 1024; do
    for acks in 1 all; do
      timeout "$TOOL_TIMEOUT_S" "${TOOL[@]}" org.apache.kafka.tools.ProducerPerformance --topic warmup --num-records 250000 \
        --record-size "$size" --throughput -1 --bootstrap-server "$(bootstrap_of "$system")" --command-property acks="$acks" \
        > "$LOGS/$system-n$nodes-warmup-produce-$size-$acks.log" 2>&1 || true
      count=$((count + 250000))
    done
  done
  timeout "$TOOL_TIMEOUT_S" "${TOOL[@]}" org.apache.kafka.tools.ConsumerPerformance --bootstrap-server "$(bootstrap_of "$system")" \
    --topic warmup --num-records "$count" --group perf-warmup --timeout 60000 > "$LOGS/$system-n$nodes-warmup-consume.log" 2>&1 || true
  delete_topics "$system" warmup
}

run_round_1() { # ROUND FIRST SECOND
  local r=$1 s
  shift
  for s in "$@"; do run_produce 1 produce-100B-acks1 "$r" "$s" "r$r-p100-a1" 1 100 "$records" 1; done
  for s in "$@"; do run_consume 1 consume-100B "$r" "$s" "r$r-p100-a1" "$records"; done
  for s in "$@"; do run_produce 1 produce-100B-acksall "$r" "$s" "r$r-p100-all" 1 100 "$records" all; done
  for s in "$@"; do run_produce 1 produce-1KiB-acks1 "$r" "$s" "r$r-p1k-a1" 1 1024 "$records_1k" 1; done
  for s in "$@"; do run_consume 1 consume-1KiB "$r" "$s" "r$r-p1k-a1" "$records_1k"; done
  for s in "$@"; do run_produce 1 produce-1KiB-acksall "$r" "$s" "r$r-p1k-all" 1 1024 "$records_1k" all; done
  for s in "$@"; do run_e2e 1 e2e-100B-acks1 "$r" "$s" "r$r-e2e" 1 1; done
  for s in "$@"; do delete_topics "$s" "r$r-.*"; done
}

run_round_3() { # ROUND FIRST SECOND
  local r=$1 s
  shift
  for s in "$@"; do run_produce 3 rf3-produce-100B-acksall "$r" "$s" "r$r-rf3-p100-all" 3 100 "$records" all min.insync.replicas=2; done
  for s in "$@"; do run_consume 3 rf3-consume-100B "$r" "$s" "r$r-rf3-p100-all" "$records"; done
  for s in "$@"; do run_e2e 3 rf3-e2e-100B-acksall "$r" "$s" "r$r-rf3-e2e" 3 all min.insync.replicas=2; done
  for s in "$@"; do delete_topics "$s" "r$r-.*"; done
}

echo "vs-kafka: $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg);" \
  "nodes $nodes_list, $rounds round(s), $records x 100 B, $records_1k x 1 KiB, $e2e_records e2e records; work dir $work_dir"

for nodes in "${node_counts[@]}"; do
  echo
  echo "== $nodes node(s) each: starting Kafka and Brook"
  start_kafka "$nodes"
  start_brook "$nodes"
  if [ "$warmup" = yes ]; then
    warm_up "$nodes" kafka
    warm_up "$nodes" brook
  fi
  for r in $(seq 1 "$rounds"); do
    if [ $((r % 2)) = 1 ]; then order=(kafka brook); else order=(brook kafka); fi
    echo "-- $nodes node(s), round $r of $rounds (${order[0]} first; load average $(cut -d' ' -f1-3 /proc/loadavg))"
    "run_round_$nodes" "$r" "${order[@]}"
  done
  echo "vs-kafka: stopping the $nodes-node clusters" >&2
  stop_pids "${KAFKA_PIDS[@]}" "${BROOK_PIDS[@]}"
done

# ---------------------------------------------------------------------------------------------------
# the table: medians over the rounds (failed runs left out and counted)
echo
echo "== Medians over $rounds round(s), $(date -u '+%Y-%m-%d %H:%M UTC') (Brook/Kafka: higher is better for throughput, lower for latency)"
awk -F'\t' '
  function median(list,    a, n, i, j, t) {
    n = split(list, a, " ")
    if (n == 0) return ""
    for (i = 2; i <= n; i++) { t = a[i] + 0; for (j = i - 1; j >= 1 && a[j] + 0 > t; j--) a[j + 1] = a[j]; a[j + 1] = t }
    return n % 2 ? a[(n + 1) / 2] + 0 : (a[n / 2] + a[n / 2 + 1]) / 2
  }
  function fmt(v, unit) {
    if (v == "") return "-"
    if (unit == "rec/s") return sprintf("%.0f", v)
    if (unit == "ms") return sprintf("%.3f", v)
    return sprintf("%.1f", v)
  }
  {
    key = $1 SUBSEP $2
    if (!(key in seen)) { seen[key] = 1; order[++count] = key; nodes[key] = $1; name[key] = $2; unit[key] = $6 }
    if ($5 == "FAIL") { fails[key, $4]++; next }
    values[key, $4] = values[key, $4] " " $5
    runs[key, $4] = runs[key, $4] (runs[key, $4] == "" ? "" : " / ") fmt($5, $6)
  }
  END {
    printf "| nodes | workload | unit | Kafka 4.4.0 | Brook | Brook/Kafka | Kafka runs | Brook runs |\n"
    printf "|---|---|---|---|---|---|---|---|\n"
    for (i = 1; i <= count; i++) {
      k = order[i]
      km = median(values[k, "kafka"]); bm = median(values[k, "brook"])
      ratio = (km != "" && bm != "" && km > 0) ? sprintf("%.2fx", bm / km) : "-"
      kr = runs[k, "kafka"] (fails[k, "kafka"] ? " (" fails[k, "kafka"] " failed)" : "")
      br = runs[k, "brook"] (fails[k, "brook"] ? " (" fails[k, "brook"] " failed)" : "")
      printf "| %s | %s | %s | %s | %s | %s | %s | %s |\n", nodes[k], name[k], unit[k], fmt(km, unit[k]), fmt(bm, unit[k]), ratio, kr, br
      if (nodes[k] == 1 && name[k] ~ /^produce/) { if (bm == "" || km == "" || bm / km < 1.0) pmiss = pmiss " " name[k]; pseen = 1 }
      if (nodes[k] == 1 && name[k] ~ /^consume/) { if (bm == "" || km == "" || bm / km < 0.8) cmiss = cmiss " " name[k]; cseen = 1 }
    }
    if (pseen || cseen) {
      printf "\nFloor (one broker, issue 11): produce >= 1.0x Kafka: %s; consume >= 0.8x Kafka: %s\n", \
        pseen ? (pmiss == "" ? "met" : "NOT met (" substr(pmiss, 2) ")") : "not measured", \
        cseen ? (cmiss == "" ? "met" : "NOT met (" substr(cmiss, 2) ")") : "not measured"
    }
  }' "$RESULTS"
echo
echo "Per-run figures, logs and results.tsv: $work_dir. Consume is ConsumerPerformance's fetch.MB.sec (the group join excluded)."
