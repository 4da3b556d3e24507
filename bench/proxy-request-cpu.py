#!/usr/bin/env python3
"""CPU and system calls per kept-alive request: our termination proxy (one or more jars) against HAProxy (issue 5).

Starts nginx on the load core and every terminator on the terminator core as bench/proxy-load.sh does (our jars with
its JVM flags and a default route; HAProxy 2.6 `mode tcp`, `nbthread 1`, `bind ... ssl crt`, its configuration), warms
each up with `wrk -t1 -c32` on `/` (in 15-second runs), then measures them in alternating rounds: per round and
terminator one `wrk -t1 -c32 -d<SECONDS>s`, and the terminator's utime and stime from /proc/<pid>/stat (all threads;
for a JVM also its event loops alone, from /proc/<pid>/task/*/stat) divided by wrk's request count. With
STRACE_SECONDS set, each terminator is then traced once (`strace -c -f -p PID` around a wrk run of that length) for its
system calls per request: strace slows the process down, so this gives counts, not times.

Not a test, not pass/fail: a comparison on one machine in one session. Random free ports; files under WORK (default
target/proxy-request-cpu). Environment:
    JARS          colon-separated jars to compare (default: target/handshake-service-*.jar), or semicolon-separated
                  when a JVM option has a colon; `name=path` names one,
                  `name=path --some.property=value` adds application arguments to that one, `name=path -XX:...`
                  JVM options to that one's JVM (e.g. the garbage collector)
    HAPROXY (1)   also measure HAProxy
    ROUNDS (6)    SECONDS (6)    WARMUP_SECONDS (60, per terminator)    CONNECTIONS (32)
    STRACE_SECONDS (0)           TERM_CORE (0)   LOAD_CORE (1)   JAVA_OPTS   APP_ARGS (as in proxy-handshake-cpu.py)
"""
import glob
import importlib.util
import os
import re
import statistics
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
_spec = importlib.util.spec_from_file_location("proxy_handshake_cpu", os.path.join(HERE, "proxy-handshake-cpu.py"))
phc = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(phc)

WORK = os.environ.get("WORK", os.path.join(phc.ROOT, "target", "proxy-request-cpu"))
ROUNDS = int(os.environ.get("ROUNDS", "6"))
SECONDS = int(os.environ.get("SECONDS", "6"))
WARMUP = int(os.environ.get("WARMUP_SECONDS", "60"))
CONNECTIONS = os.environ.get("CONNECTIONS", "32")
STRACE_SECONDS = int(os.environ.get("STRACE_SECONDS", "0"))


def wrk(port, seconds):
    """Requests completed by one wrk run on the load core."""
    out = subprocess.run(["taskset", "-c", phc.LOAD_CORE, "wrk", "-t1", f"-c{CONNECTIONS}", f"-d{seconds}s",
                          f"https://127.0.0.1:{port}/"], capture_output=True, text=True).stdout
    m = re.search(r"(\d+) requests in", out)
    return int(m.group(1)) if m else 0


def process_ticks(pid):
    fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    return int(fields[11]), int(fields[12])


def strace_counts(pid, port, seconds):
    """{syscall: calls} of every thread of pid during one wrk run, and that run's request count."""
    out = WORK + f"/strace.{pid}"
    tracer = subprocess.Popen(["strace", "-c", "-f", "-o", out, "-p", str(pid)], stderr=subprocess.DEVNULL)
    try:
        requests = wrk(port, seconds)
    finally:
        tracer.send_signal(2)
        tracer.wait(30)
    calls = {}
    for line in open(out):
        parts = line.split()
        # "% time seconds usecs/call calls [errors] syscall"
        if len(parts) >= 5 and parts[0][0].isdigit() and not line.startswith("100.00"):
            calls[parts[-1]] = int(parts[3])
    return calls, requests


def main():
    listed = os.environ.get("JARS", "")
    jars = [j.strip() for j in listed.split(";" if ";" in listed else ":") if j.strip()] or \
        [j for j in glob.glob(os.path.join(phc.ROOT, "target", "handshake-service-*.jar")) if "plain" not in j][:1]
    os.makedirs(WORK, exist_ok=True)
    up = phc.free_port()
    started, terminators = [], []  # terminators: (name, process, port, is_jvm)
    try:
        started.append(phc.start_nginx(WORK, up))
        for i, jar in enumerate(jars):
            name, _, spec = jar.partition("=") if "=" in jar.split()[0] else ("", "", jar)
            path, *extra = spec.split()
            # "--name=value" is an application argument, "-XX:..." or "-Dname=value" a JVM option of this jar's JVM
            app_args = " ".join(a for a in extra if a.startswith("--"))
            jvm_opts = " ".join(a for a in extra if not a.startswith("--"))
            name = name or f"ours{i + 1}:{os.path.basename(path)}"
            jvm, port = phc.start_proxy(path, WORK, up, log_name=f"ours{i + 1}.log",
                                        java_opts=os.environ.get("JAVA_OPTS", "") + " " + jvm_opts,
                                        app_args=app_args)
            started.append(jvm)
            terminators.append((name, jvm, port, True))
        if os.environ.get("HAPROXY", "1") == "1":
            haproxy, port = phc.start_haproxy(WORK, up)
            started.append(haproxy)
            terminators.append(("haproxy", haproxy, port, False))
        for _, p, port, _ in terminators:
            phc.wait_port(port, 300)
        for _, _, port, _ in terminators:
            # in runs as long as a round or so, not one long run: each run's connections close at its end, and the
            # first close after a long steady load deoptimizes the JVM's hot paths (C2 then spends 3-6 us per request
            # of the next round recompiling them); warmed this way the first round reads like the others
            for _ in range(max(1, WARMUP // 15)):
                wrk(port, min(WARMUP, 15))
        print(f"# wrk -t1 -c{CONNECTIONS} -d{SECONDS}s on / x {ROUNDS} rounds, alternating, after {WARMUP} s of "
              f"warm-up each; load {open('/proc/loadavg').read().split()[:3]}")
        results = {name: [] for name, *_ in terminators}
        for r in range(ROUNDS):
            # alternate the order so no terminator always runs right after the same one
            order = terminators if r % 2 == 0 else list(reversed(terminators))
            for name, p, port, jvm in order:
                u0, s0 = process_ticks(p.pid)
                loops0 = phc.threads(p.pid) if jvm else {}
                count = wrk(port, SECONDS)
                u1, s1 = process_ticks(p.pid)
                spent = phc.delta(loops0, phc.threads(p.pid)) if jvm else {}
                per = 1e6 / phc.HZ / max(count, 1)
                loop = spent.get("event loop", [0, 0])
                row = (count, (u1 - u0) * per, (s1 - s0) * per, loop[0] * per, loop[1] * per)
                results[name].append(row)
                print(f"round {r + 1} {name}: {count} requests, {row[1] + row[2]:.1f} us CPU per request "
                      f"({row[1]:.1f} user + {row[2]:.1f} system)"
                      + (f", event loop {row[3]:.1f} + {row[4]:.1f}; " + ", ".join(
                          f"{g} {(u + s) * per:.2f}" for g, (u, s) in sorted(spent.items(), key=lambda i: -sum(i[1]))
                          if g != "event loop" and u + s > 0) if jvm else ""), flush=True)
        print(f"medians over {ROUNDS} rounds, us CPU per request; load {open('/proc/loadavg').read().split()[:3]}")
        for name, rows in results.items():
            user = statistics.median(r[1] for r in rows)
            system = statistics.median(r[2] for r in rows)
            total = statistics.median(r[1] + r[2] for r in rows)
            print(f"  {name:40s} total {total:5.1f} (range {min(r[1] + r[2] for r in rows):.1f}-"
                  f"{max(r[1] + r[2] for r in rows):.1f}), user {user:.1f}, system {system:.1f}, "
                  f"requests per CPU-second {1e6 / total:,.0f}")
        for name, p, port, _ in terminators if STRACE_SECONDS else []:
            calls, requests = strace_counts(p.pid, port, STRACE_SECONDS)
            per = {k: v / max(requests, 1) for k, v in calls.items() if v / max(requests, 1) >= 0.01}
            print(f"strace {name}: {requests} requests, {sum(calls.values()) / max(requests, 1):.2f} syscalls per "
                  "request: " + ", ".join(f"{k} {v:.2f}" for k, v in sorted(per.items(), key=lambda i: -i[1])))
    finally:
        phc.stop(started)


if __name__ == "__main__":
    sys.exit(main())
