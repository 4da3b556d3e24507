#!/usr/bin/env python3
"""CPU per new TLS connection of our termination proxy, per JVM thread (issue 5).

Starts the jar as bench/proxy-load.sh starts it (taskset core 0, -Xms1g -Xmx1g -XX:+AlwaysPreTouch, a default route with
an RSA-2048 SSL bundle in front of a local nginx on core 1), warms it up, then runs ROUNDS rounds of HS_CLIENTS parallel
`openssl s_time -new -www /` on core 1 and reads utime and stime of every thread of the JVM from /proc/<pid>/task/*/stat
before and after each round. Prints, per round and as the median over rounds, the CPU microseconds per connection of
each thread group (event loops, GC/VM thread, C2, C1, the rest) split into user and system time.

Not a test and not pass/fail: a measurement to compare jars on the same machine. Random free ports; everything under
WORK (default target/proxy-handshake-cpu). Environment:
    JAR          the jar to measure (default: target/handshake-service-*.jar)
    COMPARE      more terminators to measure side by side with JAR, space-separated: jar paths (`path#-Da=b,-XX:...`
                 adds JVM options to that one), or `haproxy` (HAProxy
                 as proxy-load.sh configures it, per-thread CPU the same way). All are started (on TERM_CORE) and warmed
                 up, then their rounds alternate (A B A B ...), so a drift in the machine's speed hits each alike
    ROUNDS (5)   SECONDS (6)   WARMUP_SECONDS (20)   HS_CLIENTS (4)   TERM_CORE (0)   LOAD_CORE (1)
    WARMUP_CONNECTIONS (0)  after the timed warm-up, keep warming in 10 s steps until this many connections were made
    TLS (1.3)    1.3: -tls1_3 -ciphersuites TLS_AES_128_GCM_SHA256 (x25519); 1.2: -tls1_2 ECDHE-RSA-AES128-GCM-SHA256
    JAVA_OPTS    extra JVM options (e.g. a JFR recording)
    APP_ARGS     extra application arguments (e.g. --handshake.tickets.enabled=false)
"""
import glob
import os
import re
import shlex
import socket
import statistics
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
WORK = os.environ.get("WORK", os.path.join(ROOT, "target", "proxy-handshake-cpu"))
ROUNDS = int(os.environ.get("ROUNDS", "5"))
SECONDS = int(os.environ.get("SECONDS", "6"))
WARMUP = int(os.environ.get("WARMUP_SECONDS", "20"))
# C2 compiles the per-connection path only after thousands of connections: on a loaded machine 20 s are not enough
WARMUP_CONNECTIONS = int(os.environ.get("WARMUP_CONNECTIONS", "0"))
CLIENTS = int(os.environ.get("HS_CLIENTS", "4"))
TLS = os.environ.get("TLS", "1.3")
TERM_CORE, LOAD_CORE = os.environ.get("TERM_CORE", "0"), os.environ.get("LOAD_CORE", "1")
HZ = os.sysconf("SC_CLK_TCK")
TLS_FLAGS = {"1.3": ["-tls1_3", "-ciphersuites", "TLS_AES_128_GCM_SHA256"],
             "1.2": ["-tls1_2", "-cipher", "ECDHE-RSA-AES128-GCM-SHA256"]}[TLS]


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_port(port, seconds):
    deadline = time.time() + seconds
    while time.time() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return
        except OSError:
            time.sleep(0.1)
    sys.exit(f"port {port} did not open")


def group(name):
    """The thread group a thread's (15-character) name belongs to."""
    if name.startswith("multiThreadIoEv") or name.startswith("epollEventLoop") or name.startswith("nioEventLoop"):
        return "event loop"
    if name == "VM Thread" or name.startswith("GC ") or name.startswith("G1 "):
        return "VM thread/GC"
    if name.startswith("C2 Compiler"):
        return "C2"
    if name.startswith("C1 Compiler"):
        return "C1"
    return "other:" + re.sub(r"[-#]?\d+$", "", name)


def threads(pid):
    """{tid: (group, utime, stime)} in clock ticks."""
    out = {}
    for stat in glob.glob(f"/proc/{pid}/task/*/stat"):
        try:
            text = open(stat).read()
        except OSError:
            continue  # the thread ended between glob and read
        name = text[text.index("(") + 1:text.rindex(")")]
        fields = text[text.rindex(")") + 2:].split()
        out[stat.split("/")[4]] = (group(name), int(fields[11]), int(fields[12]))
    return out


def delta(before, after):
    """{group: [user ticks, system ticks]} spent between two snapshots (threads born in between count from zero)."""
    spent = {}
    for tid, (g, u, s) in after.items():
        u0, s0 = before.get(tid, (g, 0, 0))[1:]
        acc = spent.setdefault(g, [0, 0])
        acc[0] += u - u0
        acc[1] += s - s0
    return spent


def s_time(port, seconds):
    procs = [subprocess.Popen(["taskset", "-c", LOAD_CORE, "openssl", "s_time", "-connect", f"127.0.0.1:{port}", "-new",
                               "-time", str(seconds), "-www", "/"] + TLS_FLAGS,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True) for _ in range(CLIENTS)]
    total = 0
    for p in procs:
        out, _ = p.communicate()
        m = re.search(r"(\d+) connections in [\d.]+ real seconds", out)
        total += int(m.group(1)) if m else 0
    return total


def certificate(work):
    """The RSA-2048 self-signed certificate and key every terminator uses (made once per WORK)."""
    cert, key = work + "/cert.crt", work + "/key.pem"
    if not os.path.exists(cert):
        subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=localhost",
                        "-addext", "subjectAltName=DNS:localhost", "-keyout", key, "-out", cert],
                       check=True, capture_output=True)
    return cert, key


def start_nginx(work, port):
    """The upstream: nginx, one worker on the load core, answering / with "ok\\n"."""
    os.makedirs(work + "/nginx", exist_ok=True)
    with open(work + "/nginx.conf", "w") as f:
        f.write(f"""worker_processes 1; daemon off; pid {work}/nginx/nginx.pid; error_log {work}/nginx/error.log warn;
events {{ worker_connections 8192; }}
http {{ access_log off; client_body_temp_path {work}/nginx; proxy_temp_path {work}/nginx;
  fastcgi_temp_path {work}/nginx; uwsgi_temp_path {work}/nginx; scgi_temp_path {work}/nginx;
  keepalive_requests 10000000; keepalive_timeout 120s;
  server {{ listen 127.0.0.1:{port}; location = / {{ default_type text/plain; return 200 "ok\\n"; }} }} }}
""")
    nginx = subprocess.Popen(["taskset", "-c", LOAD_CORE, "nginx", "-c", work + "/nginx.conf", "-p", work + "/nginx"],
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wait_port(port, 10)
    return nginx


def start_proxy(jar, work, upstream, log_name="ours.log", java_opts="", app_args=""):
    """Our proxy as proxy-load.sh starts it, on the terminator core; returns (process, proxy port)."""
    cert, key = certificate(work)
    proxy, api, mgmt = free_port(), free_port(), free_port()
    java = (["taskset", "-c", TERM_CORE, "java", "-Xms1g", "-Xmx1g", "-XX:+AlwaysPreTouch"]
            + shlex.split(java_opts) + ["-jar", jar,
            f"--server.port={api}", f"--management.server.port={mgmt}", "--logging.level.root=WARN",
            f"--handshake.proxy.port={proxy}", "--handshake.proxy.bind-address=127.0.0.1",
            "--handshake.proxy.max-connections=20000",
            f"--spring.ssl.bundle.pem.bench.keystore.certificate=file:{cert}",
            f"--spring.ssl.bundle.pem.bench.keystore.private-key=file:{key}",
            "--handshake.proxy.default-route.bundle=bench",
            f"--handshake.proxy.default-route.upstream=127.0.0.1:{upstream}"]
            + shlex.split(os.environ.get("APP_ARGS", "")) + shlex.split(app_args))
    jvm = subprocess.Popen(java, stdout=open(os.path.join(work, log_name), "w"), stderr=subprocess.STDOUT)
    return jvm, proxy


def start_haproxy(work, upstream):
    """HAProxy as bench/proxy-load.sh runs it (bench/haproxy-tcp.cfg: mode tcp, one thread), the same certificate, on
    the terminator core; returns (process, port)."""
    cert, key = certificate(work)
    port = free_port()
    with open(work + "/combined.pem", "w") as f:
        f.write(open(cert).read() + open(key).read())
    config = open(os.path.join(ROOT, "bench", "haproxy-tcp.cfg")).read()
    with open(work + "/haproxy.cfg", "w") as f:
        f.write(config.replace("@PORT@", str(port)).replace("@PEM@", work + "/combined.pem")
                .replace("@UPSTREAM_PORT@", str(upstream)))
    return subprocess.Popen(["taskset", "-c", TERM_CORE, "haproxy", "-db", "-f", work + "/haproxy.cfg"],
                            stdout=open(work + "/haproxy.log", "w"), stderr=subprocess.STDOUT), port



def measure(pid, port):
    """One round: (connections, total us per connection, {group: (user us, system us)})."""
    before = threads(pid)
    count = s_time(port, SECONDS)
    spent = delta(before, threads(pid))
    us = {g: (u * 1e6 / HZ / count, s * 1e6 / HZ / count) for g, (u, s) in spent.items() if u + s > 0}
    return count, sum(u + s for u, s in us.values()), us


def report(name, per_round):
    print(f"{name}: median over {len(per_round)} rounds, us CPU per connection (user + system):")
    rows = []
    for g in sorted({g for _, _, us in per_round for g in us}):
        u = statistics.median(r[2].get(g, (0, 0))[0] for r in per_round)
        s = statistics.median(r[2].get(g, (0, 0))[1] for r in per_round)
        rows.append((u + s, g, u, s))
    for t, g, u, s in sorted(rows, reverse=True):
        print(f"  {g:28s} {t:7.0f}  ({u:.0f} + {s:.0f})")
    total = statistics.median(r[1] for r in per_round)
    print(f"  {'total':28s} {total:7.0f}   connections/CPU-s {1e6 / total:.0f}; load "
          f"{open('/proc/loadavg').read().split()[:3]}")
    return total


def stop(processes):
    for p in reversed(processes):
        p.terminate()
        try:
            p.wait(20)
        except subprocess.TimeoutExpired:
            p.kill()


def main():
    jar = os.environ.get("JAR") or [j for j in glob.glob(os.path.join(ROOT, "target", "handshake-service-*.jar"))
                                    if "plain" not in j][0]
    os.makedirs(WORK, exist_ok=True)
    up = free_port()
    started = []
    try:
        started.append(start_nginx(WORK, up))
        # (label, process, port): JAR first, then COMPARE's in order
        targets = []
        for i, what in enumerate([jar] + os.environ.get("COMPARE", "").split()):
            if what == "haproxy":
                proc, port = start_haproxy(WORK, up)
            else:
                # "path#-Dname=value,-XX:..." gives that jar's JVM these options besides JAVA_OPTS
                path, _, options = what.partition("#")
                proc, port = start_proxy(path, WORK, up, log_name=f"ours-{i}.log" if i else "ours.log",
                                         java_opts=os.environ.get("JAVA_OPTS", "") + " " + options.replace(",", " "))
            started.append(proc)
            targets.append((f"{chr(ord('A') + i)} {os.path.basename(what)}", proc, port))
        for label, proc, port in targets:
            wait_port(port, 300)
            warm = s_time(port, WARMUP)
            while warm < WARMUP_CONNECTIONS:
                warm += s_time(port, 10)
            print(f"# {label} TLS {TLS}, {CLIENTS} x s_time -new -www / for {SECONDS} s x {ROUNDS}, "
                  f"after {WARMUP} s / {warm} connections of warm-up; load {open('/proc/loadavg').read().split()[:3]}",
                  flush=True)
        per_round = {label: [] for label, _, _ in targets}
        for r in range(ROUNDS):
            for label, proc, port in targets:
                count, total, us = measure(proc.pid, port)
                per_round[label].append((count, total, us))
                print(f"round {r + 1} {label}: {count} connections, {total:.0f} us CPU per connection: "
                      + ", ".join(f"{g} {u:.0f}+{s:.0f}" for g, (u, s) in sorted(us.items(), key=lambda i: -sum(i[1]))),
                      flush=True)
        totals = [report(label, rounds) for label, rounds in per_round.items()]
        for (label, _, _), total in zip(targets[1:], totals[1:]):
            print(f"{label} / {targets[0][0]}: CPU per connection x{total / totals[0]:.3f} (median of medians); "
                  "per round, in order: " + ", ".join(f"{b[1] / a[1]:.3f}" for a, b in
                                                     zip(per_round[targets[0][0]], per_round[label])))
    finally:
        stop(started)


if __name__ == "__main__":
    main()
