#!/bin/sh
# One-shot job (service temporal-admin-tools): registers EnvCase's custom search attributes.
# Idempotent: an attribute that already exists is left alone, so reruns succeed.
set -eu

address="${TEMPORAL_ADDRESS:-temporal:7233}"
namespace="${TEMPORAL_NAMESPACE:-default}"
attributes="CaseNo=Keyword CaseStatus=Keyword RegionCode=Keyword"

# auto-setup creates the namespace in the background after the frontend is up; wait for it.
tries=0
until temporal operator namespace describe --address "$address" --namespace "$namespace" >/dev/null 2>&1; do
  tries=$((tries + 1))
  if [ "$tries" -ge 90 ]; then
    echo "register-search-attributes: namespace '$namespace' not ready at $address after 180s" >&2
    exit 1
  fi
  sleep 2
done

registered_any=no
existing=$(temporal operator search-attribute list --address "$address" --namespace "$namespace")
for pair in $attributes; do
  name=${pair%%=*}
  type=${pair#*=}
  if printf '%s\n' "$existing" | grep -qw "$name"; then
    echo "search attribute $name already registered"
  else
    temporal operator search-attribute create --address "$address" --namespace "$namespace" \
      --name "$name" --type "$type"
    echo "search attribute $name=$type registered"
    registered_any=yes
  fi
done

# Every Temporal service caches search attribute definitions and refreshes them about once a
# minute. Workers and the API start when this job exits, so wait out one refresh after a new
# registration; otherwise the first workflows upserting CaseNo could be rejected.
if [ "$registered_any" = yes ]; then
  wait_seconds="${SEARCH_ATTRIBUTE_CACHE_WAIT_SECONDS:-65}"
  echo "waiting ${wait_seconds}s for the search attribute cache to refresh"
  sleep "$wait_seconds"
fi
