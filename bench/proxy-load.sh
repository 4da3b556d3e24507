#!/usr/bin/env bash
# Load benchmark of the TLS termination proxy (issue 5): our proxy, HAProxy and stunnel terminating TLS in front of the
# same upstream (nginx, one worker) with the same RSA-2048 certificate, measured side by side in one run.
#
#   bench/proxy-load.sh            # installs haproxy, stunnel4, wrk, nginx-light (Debian), builds the jar, runs
#   SECONDS_PER_TEST=5 bench/proxy-load.sh
#
# Not a test: it prints a report (and writes it to target/proxy-load/report.txt). See docs/benchmarks-proxy.md.
# Only loopback addresses are used; every load phase is bounded in time.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
WORK=${WORK:-$ROOT/target/proxy-load}
T=${SECONDS_PER_TEST:-10}            # seconds per timed phase
WARMUP=${WARMUP_SECONDS:-60}         # seconds of warm-up per terminator before the timed phases
PHASE_WARMUP=${PHASE_WARMUP_SECONDS:-10}   # seconds of each phase's own load, unmeasured, right before it
JAVA_OPTS=${JAVA_OPTS:-}             # extra JVM options for ours
TERMINATORS=${TERMINATORS:-ours haproxy stunnel}   # which to measure (e.g. "ours" to compare jars run after run)
ROUNDS=${ROUNDS:-3}                  # measured windows per phase, back to back; the table takes the median per core
HS_CLIENTS=${HS_CLIENTS:-4}          # parallel openssl s_time processes for new connections
WRK_CONNECTIONS=${WRK_CONNECTIONS:-32}
IDLE=${IDLE_CONNECTIONS:-1000}
BULK_MIB=${BULK_MIB:-256}
TERM_CORE=${TERM_CORE:-0}            # the terminator's core
LOAD_CORE=${LOAD_CORE:-1}            # load generator (and the upstream)
BASE=${BASE_PORT:-19400}
UP=$((BASE)); OURS=$((BASE + 1)); HAP=$((BASE + 2)); STN=$((BASE + 3)); API=$((BASE + 4)); MGMT=$((BASE + 5))
HZ=$(getconf CLK_TCK)

log() { echo "[proxy-load] $*" >&2; }

install_tools() {
    local missing=()
    command -v haproxy >/dev/null || missing+=(haproxy)
    command -v stunnel4 >/dev/null || command -v stunnel >/dev/null || missing+=(stunnel4)
    command -v wrk >/dev/null || missing+=(wrk)
    command -v nginx >/dev/null || missing+=(nginx-light)
    command -v python3 >/dev/null || missing+=(python3)
    if ((${#missing[@]})); then
        log "installing ${missing[*]}"
        export DEBIAN_FRONTEND=noninteractive
        apt-get update -qq
        # keep the packages' init scripts from starting system-wide daemons on ports 80/443
        local created=0
        if [[ ! -e /usr/sbin/policy-rc.d ]]; then
            printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d && created=1
        fi
        apt-get install -y -qq "${missing[@]}" >/dev/null
        ((created)) && rm -f /usr/sbin/policy-rc.d
    fi
}

PIDS=()
cleanup() {
    for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
    wait 2>/dev/null || true
}
trap cleanup EXIT

wait_port() { # port, seconds
    for _ in $(seq 1 $(($2 * 10))); do
        (exec 3<>/dev/tcp/127.0.0.1/"$1") 2>/dev/null && return 0
        sleep 0.1
    done
    log "port $1 did not open"; return 1
}

cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
rss_kib() { awk '/^VmRSS/ {print $2}' "/proc/$1/status"; }

prepare() {
    rm -rf "$WORK" && mkdir -p "$WORK/www" "$WORK/nginx"
    openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=localhost" -addext "subjectAltName=DNS:localhost" \
        -keyout "$WORK/key.pem" -out "$WORK/cert.crt" 2>/dev/null
    cat "$WORK/cert.crt" "$WORK/key.pem" >"$WORK/combined.pem"
    head -c $((BULK_MIB * 1024 * 1024)) /dev/urandom >"$WORK/www/big"
    cat >"$WORK/nginx.conf" <<EOF
worker_processes 1;
daemon off;
pid $WORK/nginx/nginx.pid;
error_log $WORK/nginx/error.log warn;
events { worker_connections 8192; }
http {
    access_log off;
    client_body_temp_path $WORK/nginx; proxy_temp_path $WORK/nginx; fastcgi_temp_path $WORK/nginx;
    uwsgi_temp_path $WORK/nginx; scgi_temp_path $WORK/nginx;
    keepalive_requests 10000000; keepalive_timeout 120s; sendfile on;
    server {
        listen 127.0.0.1:$UP;
        root $WORK/www;
        location = / { default_type text/plain; return 200 "ok\n"; }
        location = /small { default_type text/plain; return 200 "ok\n"; }
    }
}
EOF
    sed -e "s|@PORT@|$HAP|" -e "s|@PEM@|$WORK/combined.pem|" -e "s|@UPSTREAM_PORT@|$UP|" \
        "$ROOT/bench/haproxy-tcp.cfg" >"$WORK/haproxy.cfg"
    cat >"$WORK/stunnel.conf" <<EOF
foreground = yes
pid =
output = $WORK/stunnel.log
debug = err
socket = l:TCP_NODELAY=1
socket = r:TCP_NODELAY=1
[bench]
accept = 127.0.0.1:$STN
connect = 127.0.0.1:$UP
cert = $WORK/cert.crt
key = $WORK/key.pem
EOF
    cat >"$WORK/idle.py" <<'EOF'
import socket, ssl, sys, time
port, count, marker, hold = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3], float(sys.argv[4])
ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
ctx.check_hostname = False
ctx.verify_mode = ssl.CERT_NONE
conns = []
for _ in range(count):
    conns.append(ctx.wrap_socket(socket.create_connection(("127.0.0.1", port)), server_hostname="localhost"))
open(marker, "w").write(str(len(conns)))
time.sleep(hold)
EOF
}

build() {
    if [[ -z "${JAR:-}" ]]; then
        log "building the service jar"
        (cd "$ROOT" && ./mvnw -B -q -o package -DskipTests >/dev/null 2>&1 || ./mvnw -B -q package -DskipTests >/dev/null)
        JAR=$(ls "$ROOT"/target/handshake-service-*.jar | grep -v -- -plain | head -1)
    fi
}

start_ours() {
    # shellcheck disable=SC2086 # JAVA_OPTS: extra JVM options, split on spaces
    taskset -c "$TERM_CORE" java -Xms1g -Xmx1g -XX:+AlwaysPreTouch ${JAVA_OPTS:-} -jar "$JAR" \
        --server.port=$API --management.server.port=$MGMT --logging.level.root=WARN \
        --handshake.proxy.port=$OURS --handshake.proxy.bind-address=127.0.0.1 --handshake.proxy.max-connections=20000 \
        --spring.ssl.bundle.pem.bench.keystore.certificate=file:"$WORK/cert.crt" \
        --spring.ssl.bundle.pem.bench.keystore.private-key=file:"$WORK/key.pem" \
        --handshake.proxy.default-route.bundle=bench --handshake.proxy.default-route.upstream=127.0.0.1:$UP \
        >"$WORK/ours.log" 2>&1 &
    echo $!
}
start_haproxy() { taskset -c "$TERM_CORE" haproxy -db -f "$WORK/haproxy.cfg" >"$WORK/haproxy.log" 2>&1 & echo $!; }
start_stunnel() {
    local bin; bin=$(command -v stunnel4 || command -v stunnel)
    taskset -c "$TERM_CORE" "$bin" "$WORK/stunnel.conf" >"$WORK/stunnel.out" 2>&1 & echo $!
}

# runs "$@" on the load core while measuring the terminator's CPU; prints "<output-file> <busy fraction>"
measured() {
    local pid=$1 out=$2; shift 2
    local t0 c0 t1 c1
    t0=$(date +%s.%N); c0=$(cpu_ticks "$pid")
    "$@" >"$out" 2>&1 || true
    t1=$(date +%s.%N); c1=$(cpu_ticks "$pid")
    awk -v c0="$c0" -v c1="$c1" -v t0="$t0" -v t1="$t1" -v hz="$HZ" 'BEGIN {b=(c1-c0)/hz/(t1-t0); if (b>1) b=1; printf "%.3f\n", b}'
}

handshakes() { # port, flags...
    local port=$1; shift
    local i
    for i in $(seq 1 "$HS_CLIENTS"); do
        taskset -c "$LOAD_CORE" openssl s_time -connect 127.0.0.1:"$port" -new -time "$T" -www / "$@" \
            >"$WORK/stime.$i" 2>&1 &
    done
    wait
    # "N connections in S real seconds" per client
    cat "$WORK"/stime.* | awk '/connections in [0-9.]+ real seconds/ {n += $1; s = $4 > s ? $4 : s}
        END {if (s > 0) printf "%.1f\n", n / s; else print 0}'
}

value_of() { # phase, a window's output: the phase's figure
    case $1 in
        hs13 | hs12) tail -1 "$2" ;;
        rps) awk '/^Requests\/sec:/ {print $2}' "$2" ;;
        bulk) awk 'NF == 2 && $2 == '$((BULK_MIB * 1024 * 1024))' {printf "%.1f", $1 / 1048576}' "$2" ;;
    esac
}
port_of() { case $1 in ours) echo $OURS ;; haproxy) echo $HAP ;; stunnel) echo $STN ;; esac; }

# The load of one phase against one terminator, for $1 seconds: phase name, terminator port
load() {
    local seconds=$1 phase=$2 port=$3
    case $phase in
        hs13) bash -c "$(declare -f handshakes); WORK=$WORK T=$seconds HS_CLIENTS=$HS_CLIENTS LOAD_CORE=$LOAD_CORE handshakes $port -tls1_3 -ciphersuites TLS_AES_128_GCM_SHA256" ;;
        hs12) bash -c "$(declare -f handshakes); WORK=$WORK T=$seconds HS_CLIENTS=$HS_CLIENTS LOAD_CORE=$LOAD_CORE handshakes $port -tls1_2 -cipher ECDHE-RSA-AES128-GCM-SHA256" ;;
        rps) timeout $((seconds + 20)) taskset -c "$LOAD_CORE" wrk -t1 -c"$WRK_CONNECTIONS" -d"${seconds}s" https://127.0.0.1:"$port"/small ;;
        bulk) timeout 300 taskset -c "$LOAD_CORE" curl -sk --http1.1 -o /dev/null -w '%{speed_download} %{size_download}\n' https://127.0.0.1:"$port"/big ;;
    esac
}

# warm-up, the same for all: every phase's path once, long enough for our JIT to finish compiling it (C2's own CPU
# time otherwise lands in the first phases' busy fraction: ~0.6 ms per handshake after a 3 s warm-up, ~0.1 ms after
# 20 s; and -XX:+PrintCompilation shows the per-connection methods reaching C2 only after ~20,000 connections, hence
# 60 s by default: bench/proxy-handshake-cpu.py measures it thread by thread)
warm_up() { # port
    local port=$1 w=$WARMUP
    timeout $((w + 30)) taskset -c "$LOAD_CORE" openssl s_time -connect 127.0.0.1:"$port" -new -time $((w * 2 / 5 + 1)) \
        -www / -tls1_3 >/dev/null 2>&1 || true
    timeout $((w + 30)) taskset -c "$LOAD_CORE" openssl s_time -connect 127.0.0.1:"$port" -new -time $((w * 2 / 5 + 1)) \
        -www / -tls1_2 -cipher ECDHE-RSA-AES128-GCM-SHA256 >/dev/null 2>&1 || true
    timeout $((w + 30)) taskset -c "$LOAD_CORE" wrk -t1 -c8 -d$((w / 5 + 1))s https://127.0.0.1:"$port"/small >/dev/null 2>&1 || true
    timeout 300 taskset -c "$LOAD_CORE" curl -sk --http1.1 -o /dev/null https://127.0.0.1:"$port"/big || true
}

# One timed phase for every terminator, interleaved: each gets the phase's own load for $PHASE_WARMUP s (unmeasured:
# the warm-up above mixes four paths, and the JIT recompiles what the phase before left differently profiled; two
# consecutive runs on 28 Nov: 483 TLS 1.3 handshakes per core without this, 1,005 with it), then $ROUNDS windows of
# $T s go round the terminators, in the reverse order every other round. Interleaved because this machine's speed
# drifts by up to 15 % within ten minutes (the same jar run alone twice, 28 Nov 22:23-22:47): terminators measured one
# after another, minutes apart, compared the machine's moods. Each window goes to $WORK/rounds; the median per-core
# window of each terminator to $WORK/results. More than one window because the first one after a change of load
# measures our JIT recompiling (a new set of connections deoptimizes what the previous load compiled).
phase() { # phase name, terminators...
    local phase=$1 name r order busy value; shift
    for name in "$@"; do
        log "  $phase: $name, warming up"
        load "$PHASE_WARMUP" "$phase" "$(port_of "$name")" >/dev/null 2>&1 || true   # bulk: one download
    done
    for r in $(seq 1 "$ROUNDS"); do
        order=("$@"); ((r % 2 == 0)) && order=($(printf '%s\n' "$@" | tac))
        for name in "${order[@]}"; do
            busy=$(measured "${PID_OF[$name]}" "$WORK/$name.$phase.$r" load "$T" "$phase" "$(port_of "$name")")
            value=$(value_of "$phase" "$WORK/$name.$phase.$r" 2>/dev/null || true)
            echo "$name $phase ${value:-0} $busy $r" >>"$WORK/rounds"
        done
    done
    for name in "$@"; do
        awk -v n="$name" -v m="$phase" '$1 == n && $2 == m {pc = $4 > 0 ? $3 / $4 : 0; print pc, $0}' "$WORK/rounds" |
            sort -g | awk '{line[NR] = $2 " " $3 " " $4 " " $5} END {print line[int((NR + 1) / 2)]}' >>"$WORK/results"
    done
}

idle_memory() { # name, pid, port: RSS (and, for the JVM, heap after a full GC) before and after opening $IDLE
    local name=$1 pid=$2 port=$3 rss0 rss1 heap0=0 heap1=0 marker="$WORK/$1.idle.ready" idle_pid
    # the heap is pre-touched (-Xms = -Xmx, AlwaysPreTouch), so the JVM's RSS delta is its native memory
    [[ $name == ours ]] && { full_gc "$pid"; heap0=$(heap_kib "$pid"); }
    rss0=$(rss_kib "$pid")
    rm -f "$marker"
    taskset -c "$LOAD_CORE" python3 "$WORK/idle.py" "$port" "$IDLE" "$marker" 60 >"$WORK/$name.idle" 2>&1 &
    idle_pid=$!
    for _ in $(seq 1 600); do [[ -s $marker ]] && break; sleep 0.1; done
    sleep 2
    [[ $name == ours ]] && { full_gc "$pid"; heap1=$(heap_kib "$pid"); }
    rss1=$(rss_kib "$pid")
    kill "$idle_pid" 2>/dev/null || true; wait "$idle_pid" 2>/dev/null || true
    echo "$name idle $(cat "$marker" 2>/dev/null || echo 0) $rss0 $rss1 $heap0 $heap1" >>"$WORK/results"
}

full_gc() { jcmd "$1" GC.run >/dev/null 2>&1; sleep 0.5; jcmd "$1" GC.run >/dev/null 2>&1; sleep 0.5; }

heap_kib() { # used heap after GC, KiB (all generations: Serial on one core, G1 otherwise)
    jcmd "$1" GC.heap_info 2>/dev/null | awk '/(generation|heap) +total/ {
        for (i = 1; i < NF; i++) if ($i == "used") {v = $(i + 1); gsub(/[K,]/, "", v); s += v}} END {print s + 0}'
}

report() {
    awk -v idle="$IDLE" -v bulk="$BULK_MIB" '
    $2 == "idle" { n[$1] = $3; c = $3; if (c < 1) c = 1; rss[$1] = ($5 - $4) / 1024 * 1000 / c; heap[$1] = ($7 - $6) / 1024 * 1000 / c; next }
    { v[$1, $2] = $3; b[$1, $2] = $4 }
    END {
        split("hs13 hs12 rps bulk", m, " ")
        label["hs13"] = "new conns/s TLS1.3 x25519"; label["hs12"] = "new conns/s TLS1.2 ECDHE-RSA"
        label["rps"] = "requests/s kept-alive"; label["bulk"] = "bulk MiB/s (" bulk " MiB down)"
        printf "%-30s %10s %6s %10s | %10s %6s %10s | %10s %6s %10s | %7s %7s %7s %7s\n", "metric", "ours", "busy",
            "ours/core", "haproxy", "busy", "hap/core", "stunnel", "busy", "stn/core", "o/h", "o/h pc", "o/s", "o/s pc"
        for (i = 1; i <= 4; i++) {
            k = m[i]
            po = 0; ph = 0; ps = 0; oh = 0; os = 0; ohp = 0; osp = 0
            if (b["ours", k] > 0) po = v["ours", k] / b["ours", k]
            if (b["haproxy", k] > 0) ph = v["haproxy", k] / b["haproxy", k]
            if (b["stunnel", k] > 0) ps = v["stunnel", k] / b["stunnel", k]
            if (v["haproxy", k] > 0) oh = v["ours", k] / v["haproxy", k]
            if (v["stunnel", k] > 0) os = v["ours", k] / v["stunnel", k]
            if (ph > 0) ohp = po / ph
            if (ps > 0) osp = po / ps
            printf "%-30s %10.1f %6.2f %10.1f | %10.1f %6.2f %10.1f | %10.1f %6.2f %10.1f | %7.2f %7.2f %7.2f %7.2f\n", label[k],
                v["ours", k], b["ours", k], po, v["haproxy", k], b["haproxy", k], ph, v["stunnel", k], b["stunnel", k], ps,
                oh, ohp, os, osp
        }
        printf "\nidle connections (%d requested):\n", idle
        split("ours haproxy stunnel", names, " ")
        for (i = 1; i <= 3; i++) {
            x = names[i]
            printf "  %-8s open %5d   RSS %+8.1f MiB per 1,000", x, n[x], rss[x]
            if (x == "ours") printf " (native; heap is pre-touched)   heap after full GC %+6.1f MiB   total %+6.1f MiB per 1,000", heap[x], heap[x] + rss[x]
            printf "\n"
        }
    }' "$WORK/results"
}

main() {
    install_tools
    prepare
    build
    ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
    : >"$WORK/results"
    : >"$WORK/rounds"
    taskset -c "$LOAD_CORE" nginx -c "$WORK/nginx.conf" -p "$WORK/nginx" >"$WORK/nginx.out" 2>&1 &
    PIDS+=($!)
    wait_port "$UP" 10

    local name
    declare -gA PID_OF
    # all terminators run at once, each on the terminator core; only the one under load uses it
    for name in $TERMINATORS; do
        PID_OF[$name]=$(start_"$name")
        PIDS+=("${PID_OF[$name]}")
    done
    for name in $TERMINATORS; do
        wait_port "$(port_of "$name")" 90
        log "warming up $name"
        warm_up "$(port_of "$name")"
    done
    for metric in hs13 hs12 rps bulk; do
        log "measuring $metric"
        phase "$metric" $TERMINATORS
    done
    for name in $TERMINATORS; do
        log "idle connections: $name"
        idle_memory "$name" "${PID_OF[$name]}" "$(port_of "$name")"
    done

    {
        echo "proxy-load $(date -u +%FT%TZ)  $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)  terminator core $TERM_CORE, load core $LOAD_CORE"
        echo "$(java -version 2>&1 | head -1); $(haproxy -v | head -1); $(stunnel4 -version 2>&1 | grep -m1 '^stunnel' || true); $(openssl version)"
        echo "phases interleaved across terminators: $ROUNDS windows of ${T}s each (the table: the median per core) after ${WARMUP}s warm-up and ${PHASE_WARMUP}s of each phase's own load; s_time x$HS_CLIENTS (-new -www /); wrk -c$WRK_CONNECTIONS; busy = terminator CPU s / wall s"
        echo
        report
        echo
        echo "every window (terminator, metric, value, busy, window, value per core):"
        awk '{printf "  %-8s %-5s %10s %6s %2s %10.1f\n", $1, $2, $3, $4, $5, ($4 > 0 ? $3 / $4 : 0)}' "$WORK/rounds"
    } | tee "$WORK/report.txt"
}

main "$@"
