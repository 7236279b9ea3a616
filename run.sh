#!/usr/bin/env bash
# Starts one Brook node, building it first when needed. Ctrl-C stops it cleanly.
#
#   ./run.sh                                  node 1: data in data/node-1, HTTP 8080, bridge 7070, Kafka 9092,
#                                             Hazelcast 5701
#   ./run.sh --node-id N                      node N: data in data/node-N, HTTP 8080+N-1, bridge 7070+N-1,
#                                             Kafka 9092+N-1
#                                             (./run.sh is ./run.sh --node-id 1); Hazelcast takes the first
#                                             free port of 5701-5703
#   ./run.sh --node-id N --data-dir DIR --http-port P --bridge-port P --cluster-port P --kafka-port P
#   ./run.sh --conf FILE                      another config file (default conf/brook.json); without
#                                             --node-id, FILE's node.id, data.dir and ports apply
#   ./run.sh --zookeeper HOST:PORT            ZooKeeper instead of Hazelcast as cluster manager
#   ./run.sh --certs DIR                      TLS everywhere with DIR/node-N.{key,pem,keystore.pem} and
#                                             DIR/ca.pem from bin/brook-certs: event bus (mutual), HTTPS,
#                                             bridge, Kafka (SASL_SSL), ZooKeeper's client
#                                             (conf/secure.json: users, ACLs)
#   ./run.sh -Dbrook.<key>=<value> ...        any config key (see docs/CONFIG.md)
#   ./run.sh --stop [--node-id N | --data-dir DIR]
#                                             stops the node whose PID is in DIR/brook.pid (SIGTERM, then
#                                             waits up to BROOK_STOP_TIMEOUT_S, 60 s, for it to exit)
#   ./run.sh --print-command ...              prints the java command line, one argument a line, and exits
#
# Relative paths (--data-dir, --conf, --certs, -Dbrook.*) are taken from the current directory; the
# defaults (conf/brook.json, data/node-N) are in the repository, wherever run.sh is started from.
set -euo pipefail
source "$(dirname "$0")/bin/lib.sh"

action=start
conf=
node_id=
data_dir=
http_port=
bridge_port=
cluster_port=
kafka_port=
certs_dir=
props=()
# an option's value, or a usage error when it is missing
value() {
  [ $# -ge 2 ] || { echo "run.sh: $1 needs a value (try --help)" >&2; exit 2; }
  printf '%s' "$2"
}
while [ $# -gt 0 ]; do
  case "$1" in
    --node-id) node_id=$(value "$@"); shift 2 ;;
    --data-dir) data_dir=$(value "$@"); shift 2 ;;
    --http-port) http_port=$(value "$@"); shift 2 ;;
    --bridge-port) bridge_port=$(value "$@"); shift 2 ;;
    --cluster-port) cluster_port=$(value "$@"); shift 2 ;;
    --kafka-port) kafka_port=$(value "$@"); shift 2 ;;
    --conf) conf=$(value "$@"); shift 2 ;;
    --zookeeper) props+=("-Dbrook.cluster.manager=zookeeper" "-Dbrook.zookeeper.connect=$(value "$@")"); shift 2 ;;
    --certs) certs_dir=$(value "$@"); shift 2 ;;
    --stop) action=stop; shift ;;
    --print-command) action=print; shift ;;
    # the same keys given as -D: one value each, whatever the order of the options
    -Dbrook.node.id=*) node_id="${1#*=}"; shift ;;
    -Dbrook.data.dir=*) data_dir="${1#*=}"; shift ;;
    -Dbrook.http.port=*) http_port="${1#*=}"; shift ;;
    -Dbrook.bridge.port=*) bridge_port="${1#*=}"; shift ;;
    -Dbrook.cluster.port=*) cluster_port="${1#*=}"; shift ;;
    -Dbrook.kafka.port=*) kafka_port="${1#*=}"; shift ;;
    -D*) props+=("$1"); shift ;;
    -h|--help) sed -n '2,24p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "run.sh: unknown option $1 (try --help)" >&2; exit 2 ;;
  esac
done
if [ -n "$node_id" ] && ! [[ "$node_id" =~ ^[0-9]+$ ]]; then
  echo "run.sh: --node-id takes a number, not '$node_id'" >&2
  exit 2
fi

# Without --conf the node is the repository's node 1 (or --node-id N); with --conf, the file's own
# node.id, data.dir and ports apply unless --node-id (or the options above) override them.
if [ -z "$conf" ]; then
  conf="$BROOK_HOME/conf/brook.json"
  : "${node_id:=1}"
fi
if [ -n "$node_id" ]; then
  : "${data_dir:=$BROOK_HOME/data/node-$node_id}"
  : "${http_port:=$((8080 + node_id - 1))}"
  : "${bridge_port:=$((7070 + node_id - 1))}"
  : "${kafka_port:=$((9092 + node_id - 1))}"
fi

# relative paths given to run.sh are the caller's: made absolute here, so the command line says so
absolute() {
  case "$1" in
    /*|'') printf '%s' "$1" ;;
    *) printf '%s/%s' "$PWD" "$1" ;;
  esac
}
data_dir=$(absolute "$data_dir")
case "$conf" in
  *\{*) ;; # inline JSON, as the launcher accepts it
  *) conf=$(absolute "$conf") ;;
esac
for i in "${!props[@]}"; do
  case "${props[$i]}" in
    -Dbrook.metadata.log.dir=?*) props[$i]="-Dbrook.metadata.log.dir=$(absolute "${props[$i]#*=}")" ;;
  esac
done

if [ "$action" = stop ]; then
  brook_stop_node "${data_dir:-$BROOK_HOME/data/node-1}"
  exit
fi

[ -n "$node_id" ] && props+=("-Dbrook.node.id=$node_id")
[ -n "$data_dir" ] && props+=("-Dbrook.data.dir=$data_dir")
[ -n "$http_port" ] && props+=("-Dbrook.http.port=$http_port")
[ -n "$bridge_port" ] && props+=("-Dbrook.bridge.port=$bridge_port")
[ -n "$cluster_port" ] && props+=("-Dbrook.cluster.port=$cluster_port")
[ -n "$kafka_port" ] && props+=("-Dbrook.kafka.port=$kafka_port")

# --certs DIR: this node's key and certificate (node-N, from bin/brook-certs) on every link
if [ -n "$certs_dir" ]; then
  name="node-${node_id:-1}"
  if [ ! -f "$certs_dir/$name.pem" ] || [ ! -f "$certs_dir/ca.pem" ]; then
    echo "run.sh: no $certs_dir/$name.pem or $certs_dir/ca.pem (make them with: bin/brook-certs $certs_dir $name)" >&2
    exit 2
  fi
  certs_dir="$(cd "$certs_dir" && pwd)"
  key="$certs_dir/$name.key" cert="$certs_dir/$name.pem" ca="$certs_dir/ca.pem"
  props+=("-Dbrook.security.inter.broker.tls=true" "-Dbrook.security.inter.broker.ssl.key.location=$key"
    "-Dbrook.security.inter.broker.ssl.certificate.location=$cert" "-Dbrook.security.inter.broker.ssl.truststore.location=$ca"
    "-Dbrook.http.tls=true" "-Dbrook.http.ssl.key.location=$key" "-Dbrook.http.ssl.certificate.location=$cert"
    "-Dbrook.bridge.tls=true" "-Dbrook.bridge.ssl.key.location=$key" "-Dbrook.bridge.ssl.certificate.location=$cert"
    "-Dbrook.kafka.security.protocol=SASL_SSL" "-Dbrook.kafka.ssl.key.location=$key"
    "-Dbrook.kafka.ssl.certificate.location=$cert"
    "-Dbrook.zookeeper.ssl.client.enable=true" "-Dbrook.zookeeper.ssl.keystore.location=$certs_dir/$name.keystore.pem"
    "-Dbrook.zookeeper.ssl.truststore.location=$ca")
fi

# No cd: the JVM runs in the caller's directory, so every relative path given is taken from there.
# shellcheck disable=SC2086
command=(java ${BROOK_HEAP_OPTS:--Xms512m -Xmx2g} $HAZELCAST_JVM_FLAGS
  -Djava.util.logging.config.file="$BROOK_HOME/conf/logging.properties"
  -Dhazelcast.phone.home.enabled=false
  "${props[@]}" -jar "$SERVER_JAR" -conf "$conf")
if [ "$action" = print ]; then
  printf '%q\n' "${command[@]}"
  exit 0
fi
brook_ensure_built
# every hosted partition holds open files: use the hard limit where the soft one is lower
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
exec "${command[@]}"
