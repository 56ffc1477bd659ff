#!/usr/bin/env bash
# Speed side by side on the same capture: Vigil replay (every decoder, flows, device models and
# detectors on), tshark, ndpiReader and argus. Prints packets/s and peak memory (max RSS) of each,
# and Vigil's rate as a multiple of each other tool's.
#
#   bench/compare.sh [CAPTURE ...]
#
# Without arguments it compares on
#   - the public corpus (../shared/pcaps, every capture concatenated with mergecap), and
#   - a generated converged data centre of at least 10 million packets
#     (vigil simulate --seed 1 --learn 50h --test 1h, ~2 GB, written once to bench/out/).
# Each tool reads the capture from the page cache: the script reads every capture once first.
# Installs what is missing on Debian (tshark, libndpi-bin, argus-server, time) when run as root.
#
# Wall time includes each tool's start-up (the JVM's ~0.5 s for Vigil): on captures of a few
# thousand packets that dominates; judge on the big one.
#
# Environment: ROUNDS (default 1) runs the tools in turn that many times and reports each one's
# median time (and every run's): a shared VM's speed drifts by tens of per cent within minutes, so
# alternating rounds are the fair comparison. TOOLS (default "vigil tshark ndpiReader argus") picks
# the tools, e.g. ROUNDS=5 TOOLS="vigil ndpiReader" bench/compare.sh bench/out/scenario-1.pcap. Vigil
# runs through ./vigil, with its JVM flags (or VIGIL_JAVA_OPTS).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="$here/bench/out"
mkdir -p "$out"

need() {
  local missing=()
  command -v tshark >/dev/null || missing+=(tshark)
  command -v capinfos >/dev/null || missing+=(tshark)
  command -v ndpiReader >/dev/null || missing+=(libndpi-bin)
  command -v argus >/dev/null || missing+=(argus-server)
  [ -x /usr/bin/time ] || missing+=(time)
  if [ ${#missing[@]} -gt 0 ]; then
    if [ "$(id -u)" = 0 ]; then
      echo "compare: installing ${missing[*]}" >&2
      DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}" >/dev/null
    else
      echo "compare: missing ${missing[*]} (apt-get install them, or run as root)" >&2
      exit 2
    fi
  fi
}

jar="$here/sensor/target/vigil-sensor-0.1.0-SNAPSHOT-all.jar"
build() {
  "$here/vigil" --version >/dev/null # the launcher builds the jar when missing or older than the sources
}

corpus() {
  local dst="$out/corpus.pcapng"
  if [ ! -f "$dst" ]; then
    local shared="$here/../shared/pcaps"
    if [ ! -d "$shared" ]; then
      echo "compare: $shared is absent; skipping the corpus" >&2
      return 1
    fi
    # pcapng keeps each capture's link type; -a appends instead of merging by time.
    find "$shared" -type f \( -name '*.pcap' -o -name '*.pcapng' -o -name '*.cap' \) -print0 | sort -z \
      | xargs -0 mergecap -a -F pcapng -w "$dst"
  fi
  echo "$dst"
}

generated() {
  local dst="$out/scenario-1.pcap"
  if [ ! -f "$dst" ]; then
    echo "compare: generating a converged data centre of 10M+ packets (once; ~2 GB)" >&2
    java -Xmx2g -jar "$jar" simulate --seed 1 --learn 50h --test 1h --out "$out" >&2
  fi
  echo "$dst"
}

# run NAME CAPTURE CMD...: prints "NAME seconds maxrss_kb"
run() {
  local name="$1"; shift
  local capture="$1"; shift
  local log="$out/$name.time"
  /usr/bin/time -f '%e %M' -o "$log" "$@" >"$out/$name.out" 2>"$out/$name.err" || {
    echo "compare: $name failed on $capture (see $out/$name.err)" >&2
    echo "$name - -"
    return
  }
  echo "$name $(tail -1 "$log")"
}

# run_tool NAME CAPTURE: one run of a tool, as run prints it
run_tool() {
  local capture="$2"
  case "$1" in
    # The launcher, so Vigil runs with the JVM flags users get (a copy of them here once drifted to a
    # 1 GiB heap whose first collection cost 0.6 s).
    vigil) run vigil "$capture" "$here/vigil" replay -q --learn 1h "$capture" ;;
    tshark) run tshark "$capture" tshark -n -q -z io,stat,0 -r "$capture" ;;
    ndpiReader) run ndpiReader "$capture" ndpiReader -q -i "$capture" ;;
    argus) run argus "$capture" argus -r "$capture" -w /dev/null ;;
    *) echo "compare: unknown tool $1 (vigil, tshark, ndpiReader, argus)" >&2; exit 2 ;;
  esac
}

compare() {
  local capture="$1"
  local packets
  packets=$(capinfos -c -M -T "$capture" 2>/dev/null | tail -1 | cut -f2)
  cat "$capture" >/dev/null # into the page cache, for every tool alike
  echo
  echo "== $(basename "$capture"): $packets packets, $(du -h "$capture" | cut -f1)"
  local -A times=() peak=()
  local r t name secs rss
  for ((r = 1; r <= rounds; r++)); do
    for t in "${tools[@]}"; do
      read -r name secs rss <<<"$(run_tool "$t" "$capture")"
      times[$t]+="$secs "
      if [ "$rss" != "-" ] && [ "$rss" -gt "${peak[$t]:-0}" ]; then peak[$t]=$rss; fi
    done
  done
  local vigil_rate=""
  printf '%-12s %10s %14s %12s %12s' tool seconds packets/s 'max RSS MB' 'vigil is'
  [ "$rounds" -gt 1 ] && printf '   %s' "each round's seconds (the median is shown)"
  printf '\n'
  for t in vigil "${tools[@]}"; do
    [ -n "${times[$t]:-}" ] || continue
    if [ "$t" = vigil ] && [ -n "$vigil_rate" ]; then continue; fi
    if [[ " ${times[$t]}" == *" - "* ]]; then
      printf '%-12s %10s\n' "$t" failed
      continue
    fi
    secs=$(tr ' ' '\n' <<<"${times[$t]}" | grep -v '^$' | sort -n \
      | awk '{ a[NR] = $1 } END { if (NR % 2) print a[(NR + 1) / 2]; else printf "%.2f\n", (a[NR / 2] + a[NR / 2 + 1]) / 2 }')
    local rate ratio
    rate=$(awk -v p="$packets" -v s="$secs" 'BEGIN { printf "%.0f", (s > 0 ? p / s : 0) }')
    [ "$t" = vigil ] && vigil_rate=$rate
    ratio=$(awk -v v="$vigil_rate" -v r="$rate" 'BEGIN { if (v == "" || r == 0) print "-"; else printf "%.2fx", v / r }')
    printf '%-12s %10s %14s %12s %12s' "$t" "$secs" "$rate" "$((peak[$t] / 1024))" "$ratio"
    [ "$rounds" -gt 1 ] && printf '   %s' "${times[$t]}"
    printf '\n'
  done
}

rounds="${ROUNDS:-1}"
read -r -a tools <<<"${TOOLS:-vigil tshark ndpiReader argus}"
need
build
if [ $# -gt 0 ]; then
  for c in "$@"; do compare "$c"; done
else
  if c=$(corpus); then compare "$c"; fi
  compare "$(generated)"
fi
