#!/usr/bin/env bash
# Issue #10's loopback figures: the static pages, the prerendered first response of the interactive pages, and the
# download endpoints, each under wrk (Debian's package) at an offered rate, printing the achieved rate and the
# p50/p95/p99 latency. Figures, not a test. Against a running portal:
#   bench/wrk-pages.sh http://127.0.0.1:5000 APPLICANT_PASSWORD APPROVER_PASSWORD REQUEST_ID DOCUMENT_ID [RATE] [SECONDS]
# REQUEST_ID/DOCUMENT_ID: a sealed request of the demo applicant and one of its documents (the demo's completed ones).
# wrk sends as fast as answers come; each of 8 connections waits 8000/RATE ms after an answer, so the achieved rate
# is RATE only while latency is near zero: offer more (e.g. 280) to reach 200 requests/s.
# On a shared machine the rate is noisy; the CPU per request is not. With PORTAL_PID=<the portal's process id> each line
# also prints the portal's CPU (utime + stime from /proc) per request, and with PG_DATABASE=<the portal's database> the
# CPU per request of the PostgreSQL backends connected to that database (pooled, so they live across the run).
set -euo pipefail
BASE=$1; APASS=$2; DPASS=$3; RID=$4; DID=$5; RATE=${6:-280}; SECS=${7:-15}
command -v wrk >/dev/null || { echo "wrk is not installed (apt-get install wrk)" >&2; exit 2; }
CONNS=8
LUA=$(mktemp --suffix .lua)
trap 'rm -f "$LUA"' EXIT
cat > "$LUA" <<LUAEOF
function delay() return $(( 1000 * CONNS / RATE )) end
done = function(summary, latency, requests)
  local s = summary.duration / 1e6
  io.write(string.format("  rate %.0f req/s, %d requests, socket errors %d, non-2xx %d; p50 %.1f ms, p95 %.1f ms, p99 %.1f ms, max %.1f ms\n",
    summary.requests / s, summary.requests, summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    summary.errors.status, latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000, latency.max / 1000))
end
LUAEOF

# Signs in through the static sign-in form (its antiforgery token and cookie) and prints the cookies to send.
signin() {
  local jar token
  jar=$(mktemp)
  token=$(curl -s -c "$jar" -b "$jar" "$BASE/account/login" | grep -o 'name="__RequestVerificationToken" value="[^"]*"' | head -1 | sed 's/.*value="//; s/"$//')
  curl -s -o /dev/null -c "$jar" -b "$jar" -X POST "$BASE/account/login" \
    --data-urlencode "__RequestVerificationToken=$token" --data-urlencode "_handler=login" \
    --data-urlencode "Input.UserName=$1" --data-urlencode "Input.Password=$2"
  awk '!/^#/ || /^#HttpOnly_/ {sub(/^#HttpOnly_/, ""); if (NF >= 7) printf "%s=%s; ", $6, $7}' "$jar"
  rm -f "$jar"
}
APPLICANT=$(signin applicant "$APASS")
APPROVER=$(signin depthead "$DPASS")

TICK=$(getconf CLK_TCK)
portal_cpu() { [[ -n "${PORTAL_PID:-}" ]] && awk '{print $14 + $15}' "/proc/$PORTAL_PID/stat" || echo 0; }
pg_cpu() { # the ticks of the backends serving PG_DATABASE
  [[ -n "${PG_DATABASE:-}" ]] || { echo 0; return; }
  local t=0 pid
  for pid in $(pgrep -f "^postgres: [^ ]+ $PG_DATABASE " || true); do
    t=$((t + $(awk '{print $14 + $15}' "/proc/$pid/stat" 2>/dev/null || echo 0)))
  done
  echo $t
}
run() { # title cookies path
  local code out p0 p1 g0 g1 n
  code=$(curl -s -o /dev/null -w '%{http_code}' -H "Cookie: $2" "$BASE$3")
  echo "$1 ($3, HTTP $code):"
  [[ "$code" == 200 ]] || { echo "  not 200: signed in? right ids?"; return; }
  p0=$(portal_cpu); g0=$(pg_cpu)
  out=$(wrk -t2 -c$CONNS -d"${SECS}s" --timeout 5s -s "$LUA" -H "Cookie: $2" "$BASE$3" | grep '  rate')
  p1=$(portal_cpu); g1=$(pg_cpu)
  echo "$out"
  n=$(sed 's/.*req\/s, \([0-9]*\) requests.*/\1/' <<<"$out")
  [[ -n "${PORTAL_PID:-}${PG_DATABASE:-}" && "$n" -gt 0 ]] && awk -v p=$((p1 - p0)) -v g=$((g1 - g0)) -v t="$TICK" -v n="$n" -v l="$(cut -d' ' -f1-3 /proc/loadavg)" \
    'BEGIN {printf "  CPU per request: portal %.2f ms, PostgreSQL %.2f ms; load average %s\n", p * 1000 / t / n, g * 1000 / t / n, l}'
  return 0
}
CSS=$(curl -s "$BASE/account/login" | grep -o 'css/account[^"]*\.css' | head -1)
run "static asset" "" "/$CSS"
run "sign-in page (static SSR)" "" "/account/login"
run "dashboard (prerendered), applicant" "$APPLICANT" "/"
run "my requests (prerendered), applicant" "$APPLICANT" "/requests"
run "inbox (prerendered), approver" "$APPROVER" "/inbox"
run "request page (prerendered), applicant" "$APPLICANT" "/requests/$RID"
run "original PDF (endpoint), applicant" "$APPLICANT" "/requests/$RID/documents/$DID/original"
run "sealed PDF (endpoint, one audit line each), applicant" "$APPLICANT" "/requests/$RID/documents/$DID/sealed"
