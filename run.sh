#!/usr/bin/env bash
# Starts one Brook node, building it first when needed. Ctrl-C stops it cleanly.
#
#   ./run.sh                                  node 1 on embedded defaults: data in ./data, HTTP on 8080
#   ./run.sh --node-id 2                      node 2: data in ./data/node-2, HTTP 8081, bridge 7071
#   ./run.sh --node-id N --data-dir DIR --http-port P --bridge-port P --cluster-port P
#   ./run.sh --conf FILE                      another config file (default conf/brook.json)
#   ./run.sh --zookeeper HOST:PORT            ZooKeeper instead of Hazelcast as cluster manager
#   ./run.sh --certs DIR                      TLS everywhere with DIR/node-N.{key,pem,keystore.pem} and
#                                             DIR/ca.pem from bin/brook-certs: event bus (mutual), HTTPS,
#                                             bridge, ZooKeeper's client (conf/secure.json: users, ACLs)
#   ./run.sh -Dbrook.<key>=<value> ...        any config key (see docs/CONFIG.md)
set -euo pipefail
source "$(dirname "$0")/bin/lib.sh"

conf="$BROOK_HOME/conf/brook.json"
props=()
node_id=
data_dir=
http_port=
bridge_port=
certs_dir=
while [ $# -gt 0 ]; do
  case "$1" in
    --node-id) node_id="$2"; shift 2 ;;
    --data-dir) data_dir="$2"; shift 2 ;;
    --http-port) http_port="$2"; shift 2 ;;
    --bridge-port) bridge_port="$2"; shift 2 ;;
    --cluster-port) props+=("-Dbrook.cluster.port=$2"); shift 2 ;;
    --conf) conf="$2"; shift 2 ;;
    --zookeeper) props+=("-Dbrook.cluster.manager=zookeeper" "-Dbrook.zookeeper.connect=$2"); shift 2 ;;
    --certs) certs_dir="$2"; shift 2 ;;
    -D*) props+=("$1"); shift ;;
    -h|--help) sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "run.sh: unknown option $1 (try --help)" >&2; exit 2 ;;
  esac
done

# with --node-id N, the data dir and the ports derive from N unless given
if [ -n "$node_id" ]; then
  props+=("-Dbrook.node.id=$node_id")
  : "${data_dir:=data/node-$node_id}"
  : "${http_port:=$((8080 + node_id - 1))}"
  : "${bridge_port:=$((7070 + node_id - 1))}"
fi
[ -n "$data_dir" ] && props+=("-Dbrook.data.dir=$data_dir")
[ -n "$http_port" ] && props+=("-Dbrook.http.port=$http_port")
[ -n "$bridge_port" ] && props+=("-Dbrook.bridge.port=$bridge_port")

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
    "-Dbrook.zookeeper.ssl.client.enable=true" "-Dbrook.zookeeper.ssl.keystore.location=$certs_dir/$name.keystore.pem"
    "-Dbrook.zookeeper.ssl.truststore.location=$ca")
fi

brook_ensure_built
cd "$BROOK_HOME"
# every hosted partition holds open files: use the hard limit where the soft one is lower
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
# shellcheck disable=SC2086
exec java ${BROOK_HEAP_OPTS:--Xms512m -Xmx2g} $HAZELCAST_JVM_FLAGS \
  -Djava.util.logging.config.file="$BROOK_HOME/conf/logging.properties" \
  -Dhazelcast.phone.home.enabled=false \
  "${props[@]}" -jar "$SERVER_JAR" -conf "$conf"
