#!/usr/bin/env bash
# Live capture at set rates, as on a mirror port: a veth pair whose far end lives in a network
# namespace of this script's own, tcpreplay injecting a capture into the far end at each rate,
# `vigil capture` on the near end with a model learnt from the same site, so alerts are raised
# while the packets arrive. For each rate it prints what tcpreplay sent and achieved, what the
# sensor processed and dropped (kernel, ring), the alerts raised, and the capture→alert and
# capture→decode latencies from /metrics (HdrHistogram; p50/p99/p99.9).
#
# Each sensor is warmed first, as one that has run for a while is: the same capture with every
# 10.x address moved to 11.x (tcprewrite), a twin site the model learnt too, is replayed at the rate
# for WARM_SECONDS (its attacks raise the twin's alerts, so the JIT has compiled every path the
# measured pass takes), then /metrics is read once, which starts its latency window
# (--metrics-window, the measured seconds), so the quantiles printed cover the measured pass only.
# The measured pass is the original capture, whose attacks are first encounters for the model:
# every alert it raises is a new finding.
#
#   sudo bench/live.sh [RATE ...]          default rates: 20000 50000 100000 200000 max
#
# RATE "max" is tcpreplay --topspeed (as fast as it can send; on a 2-core VM tcpreplay itself tops
# out near 150-300 kpps and shares the cores with the sensor), for 1 000 000 packets.
#
# Environment: SECONDS_PER_RATE (default 5), WARM_SECONDS (default 5), CAPTURE (default pcaps/scenario/scenario-1.pcap,
# looped to fill the time), VIGIL_CAPTURE_OPTS (extra `vigil capture` options, e.g.
# "--buffer-mb 256 --snaplen 2048"), VIGIL_JAVA_OPTS (as for ./vigil). Needs root, ip(8),
# tcpreplay and curl. Results go to bench/out/live/.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="$here/bench/out/live"
mkdir -p "$out"
capture="${CAPTURE:-$here/pcaps/scenario/scenario-1.pcap}"
per_rate="${SECONDS_PER_RATE:-5}"
rates=("$@")
[ ${#rates[@]} -gt 0 ] || rates=(20000 50000 100000 200000 max)

if [ "$(id -u)" != 0 ]; then
  echo "live: needs root (a veth pair, a network namespace, a raw capture)" >&2
  exit 2
fi
for tool in ip tcpreplay tcprewrite curl capinfos mergecap; do
  command -v "$tool" >/dev/null || { echo "live: $tool is missing (apt-get install iproute2 tcpreplay curl tshark)" >&2; exit 2; }
done

ns="vigil-bench-$$"
near="vbn$$"
far="vbf$$"
sensor=""
cleanup() {
  [ -n "$sensor" ] && kill "$sensor" 2>/dev/null || true
  ip link del "$near" 2>/dev/null || true
  ip netns del "$ns" 2>/dev/null || true
}
trap cleanup EXIT
ip netns add "$ns"
ip link add "$near" type veth peer name "$far"
ip link set "$far" netns "$ns"
# Only the replayed packets cross the pair: no IPv6 router solicitations or MLD reports.
sysctl -q -w "net.ipv6.conf.$near.disable_ipv6=1"
ip netns exec "$ns" sysctl -q -w "net.ipv6.conf.$far.disable_ipv6=1"
ip link set "$near" up
ip netns exec "$ns" ip link set "$far" up

packets=$(capinfos -c -M -T "$capture" | tail -1 | cut -f2)
warm_capture="$out/warm-up.pcap"
if [ ! -f "$warm_capture" ] || [ "$capture" -nt "$warm_capture" ]; then
  tcprewrite --pnat=10.0.0.0/8:11.0.0.0/8 --infile="$capture" --outfile="$warm_capture"
fi
# The model: what the sensor learnt from the learning phase (the scenario's first 2 minutes) of
# the site and its twin together, so the replayed attacks are first encounters at line rate.
model="$out/model.bin"
if [ ! -f "$model" ] || [ "$capture" -nt "$model" ]; then
  mergecap -w "$out/both.pcap" "$capture" "$warm_capture"
  "$here/vigil" replay -q --learn 2m --save-model "$model" "$out/both.pcap" >/dev/null
fi
warm="${WARM_SECONDS:-5}"

metric() { # metric FILE NAME [QUANTILE]: the value of one sample in a Prometheus text page
  if [ $# -gt 2 ]; then
    awk -v n="$2" -v q="quantile=\"$3\"" '$1 ~ "^"n"\\{" && index($1, q) { print $2; exit }' "$1"
  else
    awk -v n="$2" '$1 == n || $1 ~ "^"n"\\{" { s += $2 } END { print s + 0 }' "$1"
  fi
}
ms() { awk -v s="${1:-}" 'BEGIN { if (s == "" || s == "NaN") print "-"; else printf "%.3f", s * 1000 }'; }

printf '%9s %9s %10s %10s %9s %7s %6s %8s %8s %8s %8s\n' offered achieved sent processed kernel ring alerts \
  'c→a p50' 'c→a p99' 'c→a max' 'c→d p99'
printf '%9s %9s %10s %10s %9s %7s %6s %8s %8s %8s %8s\n' pkt/s pkt/s packets packets drops drops '' ms ms 'p99.9 ms' ms
for rate in "${rates[@]}"; do
  if [ "$rate" = max ]; then
    pace=(--topspeed)
    loops=$(( (1000000 + packets - 1) / packets ))
    warm_loops=$loops
  else
    pace=(--pps "$rate")
    loops=$(( (rate * per_rate + packets - 1) / packets ))
    warm_loops=$(( (rate * warm + packets - 1) / packets ))
  fi
  port=$(( 19400 + RANDOM % 500 ))
  log="$out/sensor-$rate.log"
  stats="$out/stats-$rate.json"
  rm -f "$stats"
  # shellcheck disable=SC2086
  "$here/vigil" capture -i "$near" --load-model "$model" --http-port "$port" --stats-json "$stats" \
    --metrics-window "$per_rate" --alerts "$out/alerts-$rate.jsonl" ${VIGIL_CAPTURE_OPTS:-} >"$log" 2>&1 &
  sensor=$!
  for _ in $(seq 1 300); do
    grep -q 'capturing on' "$log" && break
    sleep 0.1
  done
  grep -q 'capturing on' "$log" || { echo "live: the sensor did not start (see $log)" >&2; exit 1; }
  ip netns exec "$ns" tcpreplay -i "$far" "${pace[@]}" --loop "$warm_loops" \
    "$warm_capture" >"$out/tcpreplay-warm-$rate.txt" 2>&1
  sleep 1
  curl -s "http://127.0.0.1:$port/metrics" >"$out/metrics-warm-$rate.txt" # starts the latency window
  ip netns exec "$ns" tcpreplay -i "$far" "${pace[@]}" --loop "$loops" "$capture" >"$out/tcpreplay-$rate.txt" 2>&1
  sleep 1 # the last packets reach the device stage
  curl -s "http://127.0.0.1:$port/metrics" >"$out/metrics-$rate.txt"
  kill -TERM "$sensor"
  wait "$sensor" || true
  sensor=""
  sent=$(awk '/Actual:/ { print $2; exit }' "$out/tcpreplay-$rate.txt")
  achieved=$(awk '/Rated:/ { for (i = 1; i <= NF; i++) if ($i ~ /pps/) { print int($(i-1)); exit } }' "$out/tcpreplay-$rate.txt")
  m="$out/metrics-$rate.txt"
  w="$out/metrics-warm-$rate.txt"
  delta() { awk -v a="$(metric "$m" "$1")" -v b="$(metric "$w" "$1")" 'BEGIN { print a - b }'; }
  printf '%9s %9s %10s %10s %9s %7s %6s %8s %8s %8s %8s\n' "$rate" "${achieved:--}" "${sent:--}" \
    "$(delta vigil_packets_total)" "$(delta vigil_kernel_drops_total)" "$(delta vigil_ring_drops_total)" \
    "$(delta vigil_alerts_total)" \
    "$(ms "$(metric "$m" vigil_capture_to_alert_seconds 0.5)")" "$(ms "$(metric "$m" vigil_capture_to_alert_seconds 0.99)")" \
    "$(ms "$(metric "$m" vigil_capture_to_alert_seconds 0.999)")" "$(ms "$(metric "$m" vigil_capture_to_decode_seconds 0.99)")"
done
