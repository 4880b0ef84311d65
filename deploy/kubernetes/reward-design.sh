#!/usr/bin/env bash
# Runs a reward-design run (eureka preset) on Kubernetes as one Job per phase, each started when the one
# before it completed: for each iteration propose -> train (Indexed Job of GUIDED_RL_SHARDS pods) -> reflect,
# then the final stage's train -> reflect (tables and figures). Every phase reads the shared run folder to
# know what is due, so resuming a stopped run is running this again (phases already done do nothing).
#
#   GUIDED_RL_ITERATIONS=5 GUIDED_RL_SHARDS=4 deploy/kubernetes/reward-design.sh
#
# GUIDED_RL_ITERATIONS must be the run's iterations (5 at --budget full, 2 at smoke). KUBECTL names the
# kubectl command; GUIDED_RL_POLL the seconds between status checks (default 30).
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
manifest="${here}/reward-design-phase-job.yaml"
iterations="${GUIDED_RL_ITERATIONS:?set GUIDED_RL_ITERATIONS to the number of iterations of the run (5 at --budget full)}"
shards="${GUIDED_RL_SHARDS:-4}"
kubectl="${KUBECTL:-kubectl}"
poll="${GUIDED_RL_POLL:-30}"
run="rd-$(date +%s)"
step=0

run_phase() { # phase: create its Job, wait until it completes; a failed Job stops here
  local phase="$1" size=1 retries=0
  # Only training pods are retried (a node lost mid-run); a failed propose would ask the designer again,
  # and reflect fails the same way every time: both stop the chain for a look instead.
  if [[ "${phase}" == train ]]; then size="${shards}" retries=4; fi
  step=$((step + 1))
  local name="guided-rl-${run}-${step}-${phase}"
  sed -e "s/^  name: guided-rl-rd\$/  name: ${name}/" \
    -e "s/^  completions: .*/  completions: ${size}/" \
    -e "s/^  parallelism: .*/  parallelism: ${size}/" \
    -e "s/^  backoffLimit: .*/  backoffLimit: ${retries}/" \
    -e "s/value: train # GUIDED_RL_PHASE/value: ${phase}/" \
    -e "s/value: \"4\" # GUIDED_RL_SHARDS/value: \"${shards}\"/" \
    "${manifest}" | "${kubectl}" create -f -
  while :; do
    local state
    state="$("${kubectl}" get "job/${name}" -o 'jsonpath={.status.conditions[?(@.status=="True")].type}')"
    case "${state}" in
      *Complete*) return 0 ;;
      *Failed*)
        echo "phase ${phase} failed: kubectl logs job/${name}; fix it and run $0 again" >&2
        exit 1
        ;;
    esac
    sleep "${poll}"
  done
}

for ((i = 1; i <= iterations; i++)); do
  run_phase propose
  run_phase train
  run_phase reflect
done
run_phase train
run_phase reflect
