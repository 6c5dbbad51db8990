#!/usr/bin/env bash
# Load-independent figures for the pages of bench/wrk-pages.sh: SQL commands per GET and the portal's CPU per GET.
# Start the portal with EF's command log on and its output in a file, e.g.
#   env "Logging__LogLevel__Microsoft.EntityFrameworkCore.Database.Command=Information" SealPortal__DataFolder=/tmp/qp-data \
#     SealPortal/bin/Release/net10.0/SealPortal --urls http://127.0.0.1:5177 > /tmp/qp.log 2>&1 &
#   bench/queries-per-page.sh http://127.0.0.1:5177 PID /tmp/qp.log APPLICANT_PASSWORD APPROVER_PASSWORD REQUEST_ID DOCUMENT_ID [N]
# The SQL count is of one GET after two warm-up GETs; it also counts what runs meanwhile in the background (the live-event
# poll; once a minute the cookie's security-stamp check, 5 queries, and a sliding-session renewal), so repeat a
# surprising one. The CPU is the process's (utime + stime from /proc) over N sequential GETs; without the command log
# (which costs CPU itself) it is the figure to compare.
set -euo pipefail
BASE=$1; PID=$2; LOG=$3; APASS=$4; DPASS=$5; RID=$6; DID=$7; N=${8:-40}
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
A=$(signin applicant "$APASS"); D=$(signin depthead "$DPASS")
cpu() { awk '{print $14 + $15}' "/proc/$PID/stat"; }
tick=$(getconf CLK_TCK)
page() { # title cookies path
  curl -s -o /dev/null -H "Cookie: $2" "$BASE$3"; curl -s -o /dev/null -H "Cookie: $2" "$BASE$3"
  sleep 0.5
  local before after code c0 c1
  before=$(grep -c "Executed DbCommand" "$LOG" || true)
  code=$(curl -s -o /dev/null -w '%{http_code}' -H "Cookie: $2" "$BASE$3")
  sleep 0.5
  after=$(grep -c "Executed DbCommand" "$LOG" || true)
  c0=$(cpu)
  for _ in $(seq "$N"); do curl -s -o /dev/null -H "Cookie: $2" "$BASE$3"; done
  c1=$(cpu)
  echo "$1 ($3, HTTP $code): SQL commands $((after - before)), CPU $(awk -v d=$((c1 - c0)) -v t="$tick" -v n="$N" 'BEGIN {printf "%.1f", d * 1000 / t / n}') ms per GET"
}
page "sign-in page (static SSR)" "" "/account/login"
page "dashboard, applicant" "$A" "/"
page "dashboard, approver" "$D" "/"
page "my requests, applicant" "$A" "/requests"
page "inbox, approver" "$D" "/inbox"
page "request page, applicant" "$A" "/requests/$RID"
page "original PDF, applicant" "$A" "/requests/$RID/documents/$DID/original"
page "sealed PDF, applicant" "$A" "/requests/$RID/documents/$DID/sealed"
