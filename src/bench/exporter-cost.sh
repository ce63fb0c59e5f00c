#!/bin/bash
# exporter cost: 8 fake GPUs, 1 s sampling, process metrics, scraped every second
cd "$(dirname "$0")/../.."
LIB=${FAKE_NVML:?build the fake first: gcc -shared -fPIC -O2 -o /tmp/libnvidia-ml.so.1 src/test/native/fake_nvml.c -lpthread, then FAKE_NVML=/tmp/libnvidia-ml.so.1}
FAKE_NVML_SCENARIO=src/test/resources/nvml/eight-h100.scenario java -Dheadroom.nvml.library=$LIB -jar target/headroom.jar exporter --listen 127.0.0.1:9557 --interval 1s --process-metrics > "${TMPDIR:-/tmp}/headroom-exporter-cost.log" 2>&1 &
PID=$!
sleep 12
( for i in $(seq 1 75); do curl -s -o /dev/null 127.0.0.1:9557/metrics; sleep 1; done ) &
T=$(getconf CLK_TCK)
read -r u0 s0 < <(awk '{print $14, $15}' /proc/$PID/stat)
MAX=0; SUM=0; N=0
for i in $(seq 1 60); do
  sleep 1
  R=$(awk '/VmRSS/{print $2}' /proc/$PID/status); SUM=$((SUM+R)); N=$((N+1)); [ $R -gt $MAX ] && MAX=$R
done
read -r u1 s1 < <(awk '{print $14, $15}' /proc/$PID/stat)
echo "cpu_percent_of_core=$(python3 -c "print(round(100*(($u1-$u0)+($s1-$s0))/$T/60,2))") rss_avg_mib=$((SUM/N/1024)) rss_max_mib=$((MAX/1024))"
kill $PID; wait $PID 2>/dev/null
