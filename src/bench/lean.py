#!/usr/bin/env python3
"""Every figure of issue 20 ("Lean") on the machine it runs on, from the project checkout with the jar built:

  start-up     wall and CPU of `java -jar target/headroom.jar size ... --json`, `--version` and `--help` (median
               of 5), and of the installed launcher /opt/headroom/bin/headroom where it is installed
  monitor,     CPU per 1 s tick (all threads, from schedstat) and resident memory of `monitor` and `exporter` with
  exporter     8 GPUs on ../shared/bench's fake library, over a window after a warm-up (first minute and, with
               --settled, after 150 s)
  app          cold start of the desktop app to its first frame under xvfb-run (-Dheadroom.coldStart=true), with
               java -jar and, where the .deb is installed, /usr/bin/headroom and the menu's /opt/headroom/bin/headroom
  engine       estimates per second on one core (JMH EstimateBenchmark through mvn -Pbench; --no-jmh skips it)

Usage: python3 src/bench/lean.py [--settled] [--no-jmh]
"""
import os, re, resource, shutil, statistics, subprocess, sys, tempfile, time

JAR = os.path.abspath("target/headroom.jar")
INSTALLED = "/usr/bin/headroom"  # the .deb links it to lib/app/headroom-cli; /opt/headroom/bin/headroom is the menu launcher
SHARED_FAKE = os.path.abspath("../shared/bench/fake-nvml-8gpu.c")
SIZE = ["size", "--model", "llama-2-70b", "--gpu", "h100-sxm", "--json"]
TCK = os.sysconf("SC_CLK_TCK")


def timed(command, runs=5):
    """Median wall and CPU seconds of a command (its CPU from the children's rusage)."""
    walls, cpus = [], []
    for _ in range(runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.monotonic()
        subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
        walls.append(time.monotonic() - start)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpus.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    return statistics.median(walls), statistics.median(cpus)


def startup():
    rows = []
    launchers = [("java -jar", ["java", "-jar", JAR])]
    if os.access(INSTALLED, os.X_OK):
        launchers.append(("installed", [INSTALLED]))
    for name, launcher in launchers:
        for label, args in (("size --json", SIZE), ("--version", ["--version"]), ("--help", ["--help"])):
            wall, cpu = timed(launcher + args)
            rows.append(f"start-up  {name:10} {label:12} {wall:6.2f} s wall  {cpu:6.2f} s CPU")
    return rows


def fake_library():
    if not os.path.exists(SHARED_FAKE) or not shutil.which("gcc"):
        return None
    folder = tempfile.mkdtemp(prefix="headroom-lean-")
    lib = os.path.join(folder, "libnvidia-ml.so.1")
    subprocess.run(["gcc", "-O2", "-shared", "-fPIC", "-Wl,-soname,libnvidia-ml.so.1", "-o", lib, SHARED_FAKE, "-lm"],
                   check=True)
    os.symlink("libnvidia-ml.so.1", os.path.join(folder, "libnvidia-ml.so"))
    return folder


def cpu_seconds(pid):
    total = 0
    for task in os.listdir(f"/proc/{pid}/task"):
        try:
            total += int(open(f"/proc/{pid}/task/{task}/schedstat").read().split()[0])
        except OSError:
            pass
    return total / 1e9


def rss_mb(pid):
    for line in open(f"/proc/{pid}/status"):
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024


def long_running(library, label, args, warm, window):
    env = dict(os.environ, LD_LIBRARY_PATH=library, FAKE_NVML_GPUS="8", HOME=tempfile.mkdtemp(prefix="headroom-home-"))
    process = subprocess.Popen(["java", "-jar", JAR] + args, env=env, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
    try:
        time.sleep(warm)
        c0, t0 = cpu_seconds(process.pid), time.monotonic()
        time.sleep(window)
        c1, t1 = cpu_seconds(process.pid), time.monotonic()
        rss = rss_mb(process.pid)
    finally:
        process.terminate()
        process.wait(20)
    return f"{label:8} warm-up {warm:3.0f} s  {(c1 - c0) * 1000 / (t1 - t0):6.2f} ms CPU per tick  {rss:6.1f} MB resident"


MENU_LAUNCHER = "/opt/headroom/bin/headroom"


def cold_start():
    """The app's first frame after process start: java -jar, and where installed the PATH command and the menu's."""
    if not shutil.which("xvfb-run"):
        return ["app       cold start: no xvfb-run here"]
    launchers = [("java -jar", ["java", "-Dheadroom.coldStart=true", "-Dprism.order=sw", "-jar", JAR], None)]
    for name, path in (("installed", INSTALLED), ("menu", MENU_LAUNCHER)):
        if os.access(path, os.X_OK):
            launchers.append((name, [path], "-Dheadroom.coldStart=true -Dprism.order=sw"))
    rows = []
    for name, command, tool_options in launchers:
        env = dict(os.environ, JAVA_TOOL_OPTIONS=tool_options) if tool_options else None
        times = []
        for _ in range(3):
            out = subprocess.run(["xvfb-run", "-a"] + command, capture_output=True, text=True, timeout=120,
                                 env=env).stdout
            found = re.search(r"first frame (\d+) ms", out)
            if found:
                times.append(int(found.group(1)))
        rows.append(f"app       {name:10} cold start to the first frame: {statistics.median(times) / 1000:.2f} s"
                    f" (median of {len(times)})" if times else f"app       {name:10} printed no first frame")
    return rows


def engine():
    out = subprocess.run(["mvn", "-B", "-q", "-Pbench", "verify", "-DskipTests", "-Dbench.args=EstimateBenchmark"],
                         capture_output=True, text=True).stdout
    rows = []
    for line in out.splitlines():
        found = re.match(r"EstimateBenchmark\.(\w+)\s+thrpt\s+\d+\s+([\d.]+)\s+±\s+([\d.]+)\s+ops/s", line.strip())
        if found:
            ops = float(found.group(2))
            rows.append(f"engine    {found.group(1):40} {ops:12,.0f} estimates/s ± {float(found.group(3)):,.0f}"
                        f"  ({1e6 / ops:.2f} µs each, one core)")
    return rows or ["engine    JMH printed nothing (mvn -Pbench failed?)"]


def main():
    settled = "--settled" in sys.argv
    print(f"# {os.uname().nodename}, {os.cpu_count()} cores, {time.strftime('%Y-%m-%d')}, "
          + subprocess.run(["java", "-version"], capture_output=True, text=True).stderr.splitlines()[0])
    for row in startup():
        print(row, flush=True)
    library = fake_library()
    if library is None:
        print("monitor   skipped: ../shared/bench/fake-nvml-8gpu.c or gcc is missing")
    else:
        for warm in ([5, 150] if settled else [5]):
            print(long_running(library, "monitor", ["monitor", "--interval", "1s"], warm, 30), flush=True)
            print(long_running(library, "exporter", ["exporter", "--interval", "1s", "--listen", "127.0.0.1:0"],
                               warm, 30), flush=True)
    for row in cold_start():
        print(row, flush=True)
    if "--no-jmh" not in sys.argv:
        for row in engine():
            print(row, flush=True)


if __name__ == "__main__":
    main()
