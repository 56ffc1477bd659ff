#!/usr/bin/env bash
# Live capture at set rates, as on a mirror port: a veth pair whose far end lives in a network
# namespace of this script's own, tcpreplay injecting a capture into the far end at each rate,
# `vigil capture` on the near end with a model learnt from the same site, so alerts are raised
# while the packets arrive. For each rate it prints what tcpreplay sent and achieved, what the
# sensor processed and dropped (kernel, ring), the alerts raised and how many of them a packet
# raised ("timed"), and latencies from the /metrics histograms (HdrHistogram, exposed as
# Prometheus buckets and subtracted between a scrape just before and one just after the measured
# pass, so they cover that pass exactly; each figure is the bound of the bucket it falls in, "at
# most"): capture→alert (the detector raised it; p50, p99, max, and the share within 1 ms),
# capture→output (the alert thread wrote it to the spool, the JSON lines and the console; p99) and
# capture→decode (one packet in 64; p99).
#
# Each sensor is warmed first, as one that has run for a while is: two twins of the site (the
# capture with its 10.x addresses moved to 10.128.0.0/9 and to 172.16.0.0/12 by tcprewrite; the
# model learnt them too) are replayed at the rate for WARM_SECONDS each, so the JIT has compiled
# every path the measured pass takes, then the site's own learning phase (its first 2 minutes).
# The measured pass follows at once, with no pause (a pause of a second is an outage hundreds of
# polling periods long when a capture is replayed this fast): the rest of the site's capture,
# whose attacks are first encounters for the model (every alert it raises is a new finding), then
# the whole capture looped to fill SECONDS_PER_RATE. /metrics is scraped once a second
# throughout, as Prometheus would.
#
#   sudo bench/live.sh [RATE ...]          default rates: 20000 50000 100000 200000 max
#
# A rate given more than once (`bench/live.sh 100000 100000 100000 100000 100000`) gets a line of its
# own after the table: capture→alert quantiles pooled over its runs' histograms.
#
# RATE "max" is tcpreplay --topspeed (as fast as it can send; on a 2-core VM tcpreplay itself tops
# out near 150-300 kpps and shares the cores with the sensor), for 1 000 000 packets.
#
# Environment: SECONDS_PER_RATE (default 5), WARM_SECONDS (default 5), CAPTURE (default
# pcaps/scenario/scenario-1.pcap, looped to fill the time), INJECTOR and SENSOR_CPUS /
# INJECTOR_CPUS (below), VIGIL_CAPTURE_OPTS (extra `vigil capture` options, e.g.
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
scraper=""
cleanup() {
  [ -n "$scraper" ] && kill "$scraper" 2>/dev/null || true
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
# Two twins of the site for the warm-up, in other private ranges, so every branch the measured pass
# takes (the internal-address paths, and a crowd of flows picked up mid-stream at once) was taken in
# the warm-up too: with one twin in a public range (11.x), the measured pass began with the JIT
# throwing away its compiled decoders and models and alerts ~50 ms late (bench/RESULTS.md).
twins=("$out/twin-1.pcap" "$out/twin-2.pcap")
twin_maps=(10.0.0.0/9:10.128.0.0/9 10.0.0.0/8:172.16.0.0/12)
for i in 0 1; do
  if [ ! -f "${twins[$i]}" ] || [ "$capture" -nt "${twins[$i]}" ]; then
    tcprewrite --pnat="${twin_maps[$i]}" --infile="$capture" --outfile="${twins[$i]}"
  fi
done
# The site itself, cut where its learning phase (the scenario's first 2 minutes) ends: the learning
# part closes the warm-up, so the measured pass continues the site's own flows and polls rather
# than switching the whole traffic to new flows at once, which no mirror port does and which made
# the JIT throw away the compiled decoders (unstable_if traps in -XX:+LogCompilation) and alerts wait
# 10-50 ms behind the interpreted code.
site_learning="$out/site-learning.pcap"
site_rest="$out/site-rest.pcap"
if [ ! -f "$site_rest" ] || [ "$capture" -nt "$site_rest" ]; then
  split_at=$(capinfos -a -T -r -S "$capture" | cut -f2 | awk '{ printf "%.6f", $1 + 120 }')
  editcap -B "$split_at" "$capture" "$site_learning"
  editcap -A "$split_at" "$capture" "$site_rest"
fi
rest_packets=$(capinfos -c -M -T "$site_rest" | tail -1 | cut -f2)
# The model: what the sensor learnt from the learning phase (the scenario's first 2 minutes) of
# the site and its twins together, so the replayed attacks are first encounters at line rate.
model="$out/model.bin"
if [ ! -f "$model" ] || [ "$capture" -nt "$model" ]; then
  mergecap -w "$out/all.pcap" "$capture" "${twins[@]}"
  "$here/vigil" replay -q --learn 2m --save-model "$model" "$out/all.pcap" >/dev/null
fi
warm="${WARM_SECONDS:-5}"
# tcpreplay paces by spinning on the clock: on a 2-core machine it holds one core the whole time,
# which on a real appliance the traffic's sender does not. INJECTOR=idle (the default) runs it under
# SCHED_IDLE, so it only gets a core the sensor is not using; INJECTOR=normal competes as an equal.
case "${INJECTOR:-idle}" in
  idle) inject=(chrt --idle 0) ;;
  normal) inject=(env) ;;
  *) echo "live: INJECTOR must be idle or normal" >&2; exit 2 ;;
esac
# SENSOR_CPUS / INJECTOR_CPUS: taskset CPU lists to pin the sensor and tcpreplay (default: unpinned).
pin_sensor=(env)
[ -z "${SENSOR_CPUS:-}" ] || pin_sensor=(taskset -c "$SENSOR_CPUS")
[ -z "${INJECTOR_CPUS:-}" ] || inject=(taskset -c "$INJECTOR_CPUS" "${inject[@]}")

metric() { # metric FILE NAME: a sample's value in a Prometheus text page, summed over its labels
  awk -v n="$2" '$1 == n || $1 ~ "^"n"\\{" { s += $2 } END { print s + 0 }' "$1"
}
replay() { # replay OUT [TCPREPLAY ARGS...]: inject into the far end at the rate's pace, report to OUT
  local report="$1"
  shift
  ip netns exec "$ns" "${inject[@]}" tcpreplay -i "$far" "${pace[@]}" "$@" >"$report" 2>&1
}
# delta_buckets FINAL WARM NAME: "LE COUNT" per bucket of the histogram NAME, counted between the two
# scrapes (cumulative, in the exposition's order).
delta_buckets() {
  awk -v n="$3_bucket{le=\"" '
    index($1, n) == 1 { le = substr($1, length(n) + 1); sub(/".*/, "", le)
      if (FNR == NR) { warm[le] = $2; next }
      print le, $2 - warm[le] }' "$2" "$1"
}
# quantile_of FILE Q: the upper bound (ms) of the bucket that holds quantile Q of the "LE COUNT" lines
# in FILE, summed per bucket (one run's, or several runs' appended: pooled). "≤" that.
quantile_of() {
  awk -v q="$2" '{ if (!($1 in c)) { k++; b[k] = $1 } c[$1] += $2 }
    END { t = c[b[k]]; if (k == 0 || t == 0) { print "-"; exit }
      for (i = 1; i <= k; i++) if (c[b[i]] >= q * t) {
        if (b[i] == "+Inf") print ">10000"; else printf "%.2f\n", b[i] * 1000; exit } }' "$1"
}
# bucket_quantile FINAL WARM NAME Q: quantile Q of what the histogram NAME recorded between the scrapes.
bucket_quantile() {
  quantile_of <(delta_buckets "$1" "$2" "$3") "$4"
}
# count_within FILE LE: how many of the "LE COUNT" lines in FILE (summed) fell at or below LE seconds.
count_within() {
  awk -v b="$2" '$1 == b { t += $2 } END { print t + 0 }' "$1"
}
# share A T: A as a percentage of T ("-" when T is 0).
share() {
  awk -v a="$1" -v t="$2" 'BEGIN { if (t > 0) printf "%.1f%%", 100 * a / t; else print "-" }'
}

# A rate given more than once is also reported pooled over its runs: ~45 alerts per run make one run's
# p99 its slowest alert, and several runs together give the p95 and p99 a sample to stand on.
for rate in "${rates[@]}"; do rm -f "$out/pooled-$rate.txt"; done
printf '%9s %9s %10s %10s %9s %7s %6s %5s %7s %7s %7s %6s %7s %7s\n' offered achieved sent processed kernel ring \
  alerts timed 'c→a' 'c→a' 'c→a' 'c→a' 'c→o' 'c→d'
printf '%9s %9s %10s %10s %9s %7s %6s %5s %7s %7s %7s %6s %7s %7s\n' pkt/s pkt/s packets packets drops drops '' '' \
  'p50 ms' 'p99 ms' 'max ms' '≤1 ms' 'p99 ms' 'p99 ms'
for rate in "${rates[@]}"; do
  if [ "$rate" = max ]; then
    pace=(--topspeed)
    measured=1000000
    warm_loops=$(( (measured + packets - 1) / packets ))
  else
    pace=(--pps "$rate")
    measured=$(( rate * per_rate ))
    warm_loops=$(( (rate * warm + packets - 1) / packets ))
  fi
  port=$(( 19400 + RANDOM % 500 ))
  log="$out/sensor-$rate.log"
  stats="$out/stats-$rate.json"
  rm -f "$stats"
  # shellcheck disable=SC2086
  "${pin_sensor[@]}" "$here/vigil" capture -i "$near" --load-model "$model" --http-port "$port" --stats-json "$stats" \
    --alerts "$out/alerts-$rate.jsonl" ${VIGIL_CAPTURE_OPTS:-} >"$log" 2>&1 &
  sensor=$!
  for _ in $(seq 1 300); do
    grep -q 'capturing on' "$log" && break
    sleep 0.1
  done
  grep -q 'capturing on' "$log" || { echo "live: the sensor did not start (see $log)" >&2; exit 1; }
  # Scraped once a second throughout, as Prometheus would: the first scrape loads and compiles the
  # HTTP and metrics code, seconds of JIT work that otherwise landed in the measured pass.
  (while kill -0 "$sensor" 2>/dev/null; do curl -s -o /dev/null "http://127.0.0.1:$port/metrics"; sleep 1; done) &
  scraper=$!
  for i in 0 1; do
    replay "$out/tcpreplay-$rate-warm-$((i + 1)).txt" --loop "$warm_loops" "${twins[$i]}"
  done
  replay "$out/tcpreplay-$rate-warm-learning.txt" "$site_learning"
  curl -s "http://127.0.0.1:$port/metrics" >"$out/metrics-warm-$rate.txt" # what the measured pass is counted from
  # The measured pass: the rest of the site's capture (its attacks), then the whole capture looped
  # to fill the time.
  rm -f "$out/tcpreplay-$rate-looped.txt"
  replay "$out/tcpreplay-$rate-rest.txt" "$site_rest"
  loops=$(( (measured - rest_packets + packets - 1) / packets ))
  if [ "$loops" -gt 0 ]; then
    replay "$out/tcpreplay-$rate-looped.txt" --loop "$loops" "$capture"
  fi
  sleep 1 # the last packets reach the device stage
  curl -s "http://127.0.0.1:$port/metrics" >"$out/metrics-$rate.txt"
  kill "$scraper" 2>/dev/null || true
  kill -TERM "$sensor"
  wait "$sensor" || true
  sensor=""
  passes=("$out/tcpreplay-$rate-rest.txt")
  [ ! -f "$out/tcpreplay-$rate-looped.txt" ] || passes+=("$out/tcpreplay-$rate-looped.txt")
  sent=$(awk '/Actual:/ { n += $2 } END { print n }' "${passes[@]}")
  achieved=$(awk '/Actual:/ { n += $2; t += $(NF-1) } END { if (t > 0) print int(n / t) }' "${passes[@]}")
  m="$out/metrics-$rate.txt"
  w="$out/metrics-warm-$rate.txt"
  delta() { awk -v a="$(metric "$m" "$1")" -v b="$(metric "$w" "$1")" 'BEGIN { print a - b }'; }
  alerted="$out/alert-buckets-$rate.txt" # capture→alert of this run's measured pass, appended to the pool below
  delta_buckets "$m" "$w" vigil_capture_to_alert_histogram_seconds >"$alerted"
  timed=$(count_within "$alerted" +Inf)
  printf '%9s %9s %10s %10s %9s %7s %6s %5s %7s %7s %7s %6s %7s %7s\n' "$rate" "${achieved:--}" "${sent:--}" \
    "$(delta vigil_packets_total)" "$(delta vigil_kernel_drops_total)" "$(delta vigil_ring_drops_total)" \
    "$(delta vigil_alerts_total)" "$timed" \
    "$(quantile_of "$alerted" 0.5)" "$(quantile_of "$alerted" 0.99)" "$(quantile_of "$alerted" 1)" \
    "$(share "$(count_within "$alerted" 0.001)" "$timed")" \
    "$(bucket_quantile "$m" "$w" vigil_capture_to_output_histogram_seconds 0.99)" \
    "$(bucket_quantile "$m" "$w" vigil_capture_to_decode_histogram_seconds 0.99)"
  cat "$alerted" >>"$out/pooled-$rate.txt"
done
declare -A runs_of=()
for rate in "${rates[@]}"; do runs_of[$rate]=$(( ${runs_of[$rate]:-0} + 1 )); done
for rate in "${!runs_of[@]}"; do
  [ "${runs_of[$rate]}" -gt 1 ] || continue
  f="$out/pooled-$rate.txt"
  total=$(count_within "$f" +Inf)
  printf 'pooled %s runs at %s pkt/s: %s timed alerts; capture→alert p50 ≤ %s ms, p95 ≤ %s ms, p99 ≤ %s ms, max ≤ %s ms; %s within 1 ms\n' \
    "${runs_of[$rate]}" "$rate" "$total" "$(quantile_of "$f" 0.5)" "$(quantile_of "$f" 0.95)" \
    "$(quantile_of "$f" 0.99)" "$(quantile_of "$f" 1)" \
    "$(share "$(count_within "$f" 0.001)" "$total")"
done
